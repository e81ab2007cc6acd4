using HotTopics.Classification;
using HotTopics.Tests.Infrastructure;

namespace HotTopics.Tests.Classification;

/// <summary>
/// Our dual coordinate-descent solver is held to MathNet.Numerics' L-BFGS on the same objective: same minimum,
/// vanishing gradient, class weights and row weights doing what they say.
/// </summary>
public sealed class LogisticSolverTests
{
    private static readonly (SparseRows X, bool[] Vision) Data = Load();

    private static (SparseRows, bool[]) Load()
    {
        var papers = TrainingData.Read(TestFiles.Sample, []);
        var (featurizer, rows) = Featurizer.Fit([.. papers.Select(p => p.Text)], new FeaturizerSettings());
        return (new SparseRows(rows, featurizer.FeatureCount), [.. papers.Select(p => p.Labels.Contains("cs.CV"))]);
    }

    private static double GradientNorm(LogisticProblem problem, double[] w)
    {
        var gradient = new double[w.Length];
        problem.Objective(w, gradient);
        return Math.Sqrt(gradient.Sum(g => g * g));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(10.0, 10.0)]
    [InlineData(10.0, 2.0)]
    public void Dual_coordinate_descent_reaches_the_minimum_L_BFGS_finds(double positiveCost, double negativeCost)
    {
        var problem = new LogisticProblem(Data.X, Data.Vision, positiveCost, negativeCost);
        var dual = problem.SolveDual(tolerance: 1e-4, maxEpochs: 1000);
        var lbfgs = problem.SolveLbfgs(gradientTolerance: 1e-6);
        var scratch = new double[problem.Dimension];
        var dualValue = problem.Objective(dual, scratch);
        var lbfgsValue = problem.Objective(lbfgs, scratch);
        Assert.True(Math.Abs(dualValue - lbfgsValue) <= 1e-4 * lbfgsValue, $"dual {dualValue}, L-BFGS {lbfgsValue}");
        Assert.True(GradientNorm(problem, dual) < 1e-2, $"gradient norm {GradientNorm(problem, dual)}");
        // Same minimum, so the same weights (the objective is strictly convex).
        var distance = Math.Sqrt(dual.Zip(lbfgs, (a, b) => (a - b) * (a - b)).Sum());
        var norm = Math.Sqrt(lbfgs.Sum(v => v * v));
        Assert.True(distance < 0.01 * norm, $"weights differ by {distance} (norm {norm})");
    }

    [Fact]
    public void The_default_tolerance_already_classifies_like_the_exact_minimum()
    {
        var problem = new LogisticProblem(Data.X, Data.Vision, 10, 10);
        var quick = problem.SolveDual();
        var exact = problem.SolveLbfgs(gradientTolerance: 1e-6);
        var agree = Enumerable.Range(0, Data.X.Count).Count(i => problem.Margin(i, quick) > 0 == problem.Margin(i, exact) > 0);
        Assert.True(agree >= Data.X.Count - 2, $"{agree} of {Data.X.Count} decisions agree");
    }

    [Fact]
    public void Weighing_positives_more_predicts_more_positives()
    {
        var plain = new LogisticProblem(Data.X, Data.Vision, 1, 1);
        var weighted = new LogisticProblem(Data.X, Data.Vision, 5, 1);
        var w1 = plain.SolveDual();
        var w2 = weighted.SolveDual();
        var rows = Enumerable.Range(0, Data.X.Count).ToList();
        Assert.True(rows.Count(i => weighted.Margin(i, w2) > 0) > rows.Count(i => plain.Margin(i, w1) > 0));
    }

    [Fact]
    public void A_row_weight_of_two_is_the_same_as_the_row_twice()
    {
        var x = Data.X;
        var weights = Enumerable.Range(0, x.Count).Select(i => i % 3 == 0 ? 2f : 1f).ToArray();
        var weighted = new LogisticProblem(x, Data.Vision, 3, 3, weights);
        var rows = Enumerable.Range(0, x.Count).SelectMany(i => i % 3 == 0 ? new[] { i, i } : [i]).ToList();
        var doubled = new SparseRows([.. rows.Select(i => new SparseVector(x.Indices(i).ToArray(), x.Values(i).ToArray()))], x.Columns);
        var duplicated = new LogisticProblem(doubled, [.. rows.Select(i => Data.Vision[i])], 3, 3);
        var a = weighted.SolveLbfgs(1e-6);
        var b = duplicated.SolveLbfgs(1e-6);
        Assert.True(a.Zip(b, (u, v) => Math.Abs(u - v)).Max() < 1e-3);
        var scratch = new double[weighted.Dimension];
        Assert.Equal(weighted.Objective(a, scratch), duplicated.Objective(a, scratch), 6);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        var problem = new LogisticProblem(Data.X, Data.Vision, 10, 10);
        Assert.Equal(problem.SolveDual(seed: 7), problem.SolveDual(seed: 7));
    }
}
