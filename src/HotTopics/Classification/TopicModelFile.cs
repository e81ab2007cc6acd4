using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace HotTopics.Classification;

/// <summary>A model file that cannot be used, with a message that says why and what to do.</summary>
internal sealed class ModelFileException(string message) : Exception(message);

/// <summary>
/// The model file: magic bytes, format version, payload length, SHA-256 of the payload, then the payload — a JSON
/// header (labels with their names, thresholds, training info and metrics, featurizer settings) followed by the
/// binary tables (words, features, idf, bias, weights, second-stage weights). A file of another format version, a truncated file or one
/// whose bytes changed is refused with a message naming the file and the problem. Written to a temporary file and
/// moved into place, so a crash mid-write leaves the previous model intact.
/// </summary>
internal static class TopicModelFile
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "HOTTOPICS-MODEL\n"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Header(ModelLabel[] Labels, float[] Thresholds, ModelInfo Info, FeaturizerSettings Featurizer, int Tokens, int Features, bool Stacked);

    public static void Save(TopicModel model, string path)
    {
        var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            var f = model.Featurizer;
            var header = JsonSerializer.SerializeToUtf8Bytes(new Header(model.Labels, model.Thresholds, model.Info, f.Settings, f.Tokens.Length, f.FeatureCount, model.Stack is not null), Json);
            w.Write(header.Length);
            w.Write(header);
            foreach (var token in f.Tokens) w.Write(token);
            foreach (var (first, second) in f.Features)
            {
                w.Write(first);
                w.Write(second);
            }
            WriteFloats(w, f.Idf);
            WriteFloats(w, model.Bias);
            WriteFloats(w, model.Weights);
            if (model.Stack is not null) WriteFloats(w, model.Stack);
        }
        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        using (var w = new BinaryWriter(file))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write((long)bytes.Length);
            w.Write(SHA256.HashData(bytes));
            w.Write(bytes);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static TopicModel Load(string path)
    {
        byte[] all;
        try
        {
            all = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"model file {path} cannot be read: {ex.Message}");
        }
        var prefix = Magic.Length + 4 + 8 + 32;
        if (all.Length < Magic.Length || !all.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new ModelFileException($"{path} is not a HotTopics model file (train one with the 'train' verb).");
        if (all.Length < prefix) throw new ModelFileException($"model file {path} is corrupted: it is truncated.");
        var version = BitConverter.ToInt32(all, Magic.Length);
        if (version != FormatVersion)
            throw new ModelFileException($"model file {path} has format version {version}; this build reads version {FormatVersion}. Retrain the model with this build.");
        var length = BitConverter.ToInt64(all, Magic.Length + 4);
        if (length != all.Length - prefix)
            throw new ModelFileException($"model file {path} is corrupted: it is truncated or has extra bytes ({all.Length - prefix:N0} payload bytes, {length:N0} expected).");
        var payload = all.AsSpan(prefix);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(all.AsSpan(Magic.Length + 12, 32)))
            throw new ModelFileException($"model file {path} is corrupted: its checksum does not match its contents.");
        try
        {
            using var r = new BinaryReader(new MemoryStream(all, prefix, (int)length), Encoding.UTF8);
            var header = JsonSerializer.Deserialize<Header>(r.ReadBytes(r.ReadInt32()), Json) ?? throw new InvalidDataException("empty header");
            var tokens = new string[header.Tokens];
            for (var i = 0; i < tokens.Length; i++) tokens[i] = r.ReadString();
            var features = new (int, int)[header.Features];
            for (var i = 0; i < features.Length; i++) features[i] = (r.ReadInt32(), r.ReadInt32());
            var idf = ReadFloats(r, header.Features);
            var bias = ReadFloats(r, header.Labels.Length);
            var weights = ReadFloats(r, header.Features * header.Labels.Length);
            var stack = header.Stacked ? ReadFloats(r, header.Labels.Length * (header.Labels.Length + 1)) : null;
            var featurizer = new Featurizer(header.Featurizer, tokens, features, idf);
            return new TopicModel(header.Labels, featurizer, weights, bias, header.Thresholds, header.Info, stack);
        }
        catch (Exception ex) when (ex is EndOfStreamException or JsonException or InvalidDataException or ArgumentException or NotSupportedException)
        {
            // The checksum matched, so the writer itself produced something this reader does not understand.
            throw new ModelFileException($"model file {path} is corrupted: {ex.Message}");
        }
    }

    private static void WriteFloats(BinaryWriter w, float[] values) => w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static float[] ReadFloats(BinaryReader r, int count)
    {
        var values = new float[count];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        if (r.Read(bytes) != bytes.Length) throw new EndOfStreamException("the weights end early");
        return values;
    }
}
