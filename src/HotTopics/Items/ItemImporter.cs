using System.Threading.Channels;
using HotTopics.Storage;

namespace HotTopics.Items;

public sealed class ImportResult
{
    public long Lines { get; set; }
    public UpsertCounts Counts { get; } = new();
    public List<(long Line, string Reason)> Skipped { get; } = [];
    public TimeSpan Elapsed { get; set; }
}

/// <summary>
/// Imports an arXiv JSON Lines file: one thread parses, the other writes batches in transactions, so memory
/// stays flat however long the file is. Bad lines are reported and skipped; the rest imports.
/// </summary>
public sealed class ItemImporter(Database database, TimeProvider time)
{
    // Large transactions keep the index's segment merges cheap; 5,000 records is ~5 MB of text in memory.
    private const int BatchSize = 5_000;

    public async Task<ImportResult> ImportAsync(
        string path, Action<ImportResult, double>? progress, Action<long, string>? skipped, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var result = new ImportResult();
        await using var stream = ArxivJsonl.OpenRead(path);
        var fileLength = new FileInfo(path).Length;
        var rawFile = (stream as System.IO.Compression.GZipStream)?.BaseStream ?? stream;
        var fraction = double.NaN;

        var channel = Channel.CreateBounded<List<ItemRecord>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<ItemRecord>(BatchSize);
                foreach (var line in ArxivJsonl.Read(stream))
                {
                    ct.ThrowIfCancellationRequested();
                    result.Lines = line.Number;
                    if ((line.Number & 1023) == 0 && fileLength > 0) Volatile.Write(ref fraction, Math.Min(1.0, (double)rawFile.Position / fileLength));
                    if (line.Record is null)
                    {
                        lock (result.Skipped) result.Skipped.Add((line.Number, line.Error!));
                        skipped?.Invoke(line.Number, line.Error!);
                        continue;
                    }
                    batch.Add(line.Record);
                    if (batch.Count == BatchSize)
                    {
                        await channel.Writer.WriteAsync(batch, ct);
                        batch = new List<ItemRecord>(BatchSize);
                    }
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync(batch, ct);
                Volatile.Write(ref fraction, 1.0);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
                throw;
            }
        }, ct);

        using (var connection = database.Open())
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
            {
                using var tx = connection.BeginTransaction();
                using (var writer = new ItemWriter(connection, tx, time))
                {
                    result.Counts.Add(writer.UpsertMany(batch));
                }
                tx.Commit();
                progress?.Invoke(result, Volatile.Read(ref fraction));
            }
        }
        await producer;
        result.Elapsed = time.GetElapsedTime(started);
        return result;
    }
}
