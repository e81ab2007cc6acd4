namespace HotTopics.Classification;

/// <summary>One document's features: sorted feature indices and their weights.</summary>
internal readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public static SparseVector Empty { get; } = new([], []);
}

/// <summary>Documents × features in compressed sparse rows: what the solver passes over again and again.</summary>
internal sealed class SparseRows
{
    private readonly int[] rowStart;
    private readonly int[] indices;
    private readonly float[] values;

    public SparseRows(IReadOnlyList<SparseVector> rows, int columns)
    {
        Columns = columns;
        rowStart = new int[rows.Count + 1];
        for (var i = 0; i < rows.Count; i++) rowStart[i + 1] = rowStart[i] + rows[i].Indices.Length;
        indices = new int[rowStart[^1]];
        values = new float[rowStart[^1]];
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Indices.CopyTo(indices, rowStart[i]);
            rows[i].Values.CopyTo(values, rowStart[i]);
        }
    }

    public int Count => rowStart.Length - 1;
    public int Columns { get; }

    public ReadOnlySpan<int> Indices(int row) => indices.AsSpan(rowStart[row], rowStart[row + 1] - rowStart[row]);
    public ReadOnlySpan<float> Values(int row) => values.AsSpan(rowStart[row], rowStart[row + 1] - rowStart[row]);

    public double Dot(int row, ReadOnlySpan<double> w)
    {
        var ix = Indices(row);
        var vx = Values(row);
        var sum = 0.0;
        for (var k = 0; k < ix.Length; k++) sum += vx[k] * w[ix[k]];
        return sum;
    }

    /// <summary>w += scale · row</summary>
    public void AddTo(int row, double scale, Span<double> w)
    {
        var ix = Indices(row);
        var vx = Values(row);
        for (var k = 0; k < ix.Length; k++) w[ix[k]] += scale * vx[k];
    }

    public double SquaredNorm(int row)
    {
        var sum = 0.0;
        foreach (var v in Values(row)) sum += v * v;
        return sum;
    }
}
