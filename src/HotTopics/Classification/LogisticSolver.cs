using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace HotTopics.Classification;

/// <summary>
/// One binary L2-regularised logistic regression,
/// min_w ½‖w‖² + Σᵢ Cᵢ log(1 + exp(−yᵢ (w·xᵢ + b))), with the bias b as one more (regularised) weight on a constant
/// feature 1, as LIBLINEAR does. Cᵢ is <see cref="LogisticProblem.PositiveCost"/> for positives and
/// <see cref="LogisticProblem.NegativeCost"/> for negatives (class weights).
/// Two solvers: dual coordinate descent (Yu, Huang and Lin 2011, the method of LIBLINEAR's -s 7; the one we train
/// with, several times faster here) and MathNet.Numerics' L-BFGS on the primal (the reference the tests hold it to).
/// </summary>
internal sealed class LogisticProblem(SparseRows x, bool[] y, double positiveCost, double negativeCost, float[]? rowWeights = null)
{
    public SparseRows X { get; } = x.Count == y.Length ? x : throw new ArgumentException("one label per row is needed", nameof(y));
    public bool[] Y { get; } = y;
    public double PositiveCost { get; } = positiveCost > 0 ? positiveCost : throw new ArgumentOutOfRangeException(nameof(positiveCost));
    public double NegativeCost { get; } = negativeCost > 0 ? negativeCost : throw new ArgumentOutOfRangeException(nameof(negativeCost));

    /// <summary>Multiplies each row's cost (recent items may count more); null counts every row once.</summary>
    public float[]? RowWeights { get; } = rowWeights is null || rowWeights.Length == y.Length ? rowWeights : throw new ArgumentException("one weight per row is needed", nameof(rowWeights));

    private double Cost(int row) => (Y[row] ? PositiveCost : NegativeCost) * (RowWeights?[row] ?? 1);

    /// <summary>Weights have one entry per feature and the bias last.</summary>
    public int Dimension => X.Columns + 1;

    public double Margin(int row, ReadOnlySpan<double> w) => X.Dot(row, w) + w[X.Columns];

    /// <summary>The primal objective and its gradient at <paramref name="w"/>.</summary>
    public double Objective(ReadOnlySpan<double> w, Span<double> gradient)
    {
        var value = 0.0;
        for (var j = 0; j < w.Length; j++)
        {
            value += 0.5 * w[j] * w[j];
            gradient[j] = w[j];
        }
        for (var i = 0; i < X.Count; i++)
        {
            var sign = Y[i] ? 1.0 : -1.0;
            var cost = Cost(i);
            var z = sign * Margin(i, w);
            // log(1 + e^-z) without overflow; d/dz = -1 / (1 + e^z)
            value += cost * (z > 0 ? Math.Log(1 + Math.Exp(-z)) : -z + Math.Log(1 + Math.Exp(z)));
            var slope = -cost * sign / (1 + Math.Exp(z));
            X.AddTo(i, slope, gradient);
            gradient[X.Columns] += slope;
        }
        return value;
    }

    /// <summary>
    /// Dual coordinate descent with a Newton step per coordinate. Stops when the largest dual gradient of an epoch
    /// is below <paramref name="tolerance"/> (LIBLINEAR's criterion, default 0.1) or after <paramref name="maxEpochs"/>.
    /// Rows are visited in an order shuffled by <paramref name="seed"/>: the same seed gives the same weights.
    /// </summary>
    public double[] SolveDual(double tolerance = 0.1, int maxEpochs = 200, int seed = 1)
    {
        const int maxInnerIterations = 100;
        const double eta = 0.1; // shrink factor when a Newton step leaves the feasible interval
        var n = X.Count;
        var w = new double[Dimension];
        var alpha = new double[2 * n]; // alpha[2i] is αᵢ, alpha[2i+1] is Cᵢ − αᵢ
        var squaredNorm = new double[n];
        for (var i = 0; i < n; i++)
        {
            var c = Cost(i);
            alpha[2 * i] = Math.Min(0.001 * c, 1e-8);
            alpha[2 * i + 1] = c - alpha[2 * i];
            squaredNorm[i] = X.SquaredNorm(i) + 1;
            var step = (Y[i] ? 1 : -1) * alpha[2 * i];
            X.AddTo(i, step, w);
            w[X.Columns] += step;
        }
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var random = new Random(seed);
        var innerTolerance = 1e-2;
        var minInnerTolerance = Math.Min(1e-8, tolerance);
        for (var epoch = 0; epoch < maxEpochs; epoch++)
        {
            random.Shuffle(order);
            var newtonIterations = 0;
            var maxGradient = 0.0;
            foreach (var i in order)
            {
                var sign = Y[i] ? 1.0 : -1.0;
                var c = Cost(i);
                var a = squaredNorm[i];
                var b = sign * Margin(i, w);
                // Minimise over z = αᵢ (or over C − αᵢ, whichever keeps the Newton steps in the interior).
                int first = 2 * i, second = 2 * i + 1, direction = 1;
                if (0.5 * a * (alpha[second] - alpha[first]) + b < 0)
                {
                    first = 2 * i + 1;
                    second = 2 * i;
                    direction = -1;
                }
                var old = alpha[first];
                var z = old;
                if (c - z < 0.5 * c) z *= 0.1;
                var g = a * (z - old) + direction * b + Math.Log(z / (c - z));
                maxGradient = Math.Max(maxGradient, Math.Abs(g));
                var inner = 0;
                while (inner <= maxInnerIterations && Math.Abs(g) >= innerTolerance)
                {
                    var h = a + c / (c - z) / z;
                    var next = z - g / h;
                    z = next <= 0 ? z * eta : next;
                    g = a * (z - old) + direction * b + Math.Log(z / (c - z));
                    newtonIterations++;
                    inner++;
                }
                if (inner > 0)
                {
                    alpha[first] = z;
                    alpha[second] = c - z;
                    var step = direction * (z - old) * sign;
                    X.AddTo(i, step, w);
                    w[X.Columns] += step;
                }
            }
            if (maxGradient < tolerance) break;
            if (newtonIterations <= n / 10) innerTolerance = Math.Max(minInnerTolerance, 0.1 * innerTolerance);
        }
        return w;
    }

    /// <summary>The primal solved by MathNet.Numerics' L-BFGS; stops when the gradient norm is below <paramref name="gradientTolerance"/>.</summary>
    public double[] SolveLbfgs(double gradientTolerance = 1e-4, int maxIterations = 1000)
    {
        var objective = ObjectiveFunction.Gradient((Func<Vector<double>, (double, Vector<double>)>)(v =>
        {
            var w = v.AsArray() ?? v.ToArray();
            var gradient = new double[w.Length];
            var value = Objective(w, gradient);
            return (value, Vector<double>.Build.Dense(gradient));
        }));
        var minimizer = new LimitedMemoryBfgsMinimizer(gradientTolerance, 1e-12, 1e-12, memory: 10, maximumIterations: maxIterations);
        var result = minimizer.FindMinimum(objective, Vector<double>.Build.Dense(Dimension));
        return result.MinimizingPoint.ToArray();
    }
}
