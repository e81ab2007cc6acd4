using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting;

/// <summary>One GET as a harvester asks for it.</summary>
public sealed class FetchRequest
{
    public required Uri Url { get; init; }
    /// <summary>Validators from the last 200: sent as If-None-Match / If-Modified-Since; a 304 is a success with nothing new.</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public string Accept { get; init; } = "*/*";
    /// <summary>Least time between two requests to this host (arXiv asks for 3 s); null: Harvesting:DefaultDelayMs.</summary>
    public TimeSpan? MinInterval { get; init; }
    /// <summary>Body size cap; null: Harvesting:MaxResponseBytes.</summary>
    public long? MaxBytes { get; init; }
}

/// <summary>A successful answer (200, or 304 when validators were sent).</summary>
public sealed class FetchResponse
{
    public required HttpStatusCode Status { get; init; }
    public bool NotModified => Status == HttpStatusCode.NotModified;
    /// <summary>The body as sent (decompressed); empty on 304. Decode with <see cref="Charset"/>, the BOM or the XML declaration.</summary>
    public required byte[] Body { get; init; }
    public string? MediaType { get; init; }
    /// <summary>The charset parameter of Content-Type, when the server named one.</summary>
    public string? Charset { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public required Uri RequestedUrl { get; init; }
    /// <summary>Where the body came from after redirects.</summary>
    public required Uri FinalUrl { get; init; }
    public bool Redirected => FinalUrl != RequestedUrl;
    /// <summary>Every redirect on the way was permanent (301/308): the caller should store <see cref="FinalUrl"/>.</summary>
    public bool PermanentRedirect { get; init; }
    public int Attempts { get; init; }

    public MemoryStream OpenBody() => new(Body, writable: false);
}

/// <summary>A fetch that failed for good (after retries when the failure was transient); the message is for people.</summary>
public sealed class FetchException(string message, Uri url, HttpStatusCode? status, int attempts, byte[]? body = null, Exception? inner = null)
    : Exception(message, inner)
{
    public Uri Url { get; } = url;
    public HttpStatusCode? Status { get; } = status;
    public int Attempts { get; } = attempts;
    /// <summary>The start of an error response's body (4xx), for callers whose protocol explains errors there.</summary>
    public byte[]? Body { get; } = body;
}

/// <summary>The request went to a loopback, private or link-local address while Harvesting:AllowPrivateAddresses is off.</summary>
public sealed class BlockedAddressException(string message) : IOException(message);

/// <summary>Per-host gates: one request at a time per host and a least interval between them.</summary>
public sealed class HostPacer(TimeProvider time)
{
    private readonly TimeProvider _time = time;

    // Gates live as long as the process (one per host ever contacted), so their semaphores are never disposed.
#pragma warning disable CA1001
    internal sealed class Gate
#pragma warning restore CA1001
    {
        public readonly SemaphoreSlim Lock = new(1, 1);
        /// <summary>Monotonic timestamp of the end of the last exchange (0: none yet).</summary>
        public long LastDone;
    }

    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for the host's turn; dispose the lease when the exchange (body included) is over.</summary>
    public async Task<Lease> EnterAsync(string host, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(host, _ => new Gate());
        await gate.Lock.WaitAsync(ct);
        return new Lease(this, gate);
    }

    public sealed class Lease : IDisposable
    {
        private readonly HostPacer _pacer;
        private readonly Gate _gate;

        internal Lease(HostPacer pacer, Gate gate) => (_pacer, _gate) = (pacer, gate);

        /// <summary>Waits until the host may be asked again: <paramref name="interval"/> after the last answer, and <paramref name="extra"/> from now.</summary>
        public async Task WaitTurnAsync(TimeSpan interval, TimeSpan extra, CancellationToken ct)
        {
            var time = _pacer._time;
            var start = time.GetTimestamp();
            while (true)
            {
                // Measured on the monotonic clock, and checked again after waking: a timer may fire a little early.
                var sinceLast = _gate.LastDone == 0 ? TimeSpan.MaxValue : time.GetElapsedTime(_gate.LastDone);
                var wait = TimeSpan.FromTicks(Math.Max(
                    sinceLast == TimeSpan.MaxValue ? 0 : (interval - sinceLast).Ticks,
                    (extra - time.GetElapsedTime(start)).Ticks));
                if (wait <= TimeSpan.Zero) return;
                await Task.Delay(wait, time, ct);
            }
        }

        /// <summary>The exchange ended now (answer read or failed): the interval counts from here.</summary>
        public void Done() => _gate.LastDone = _pacer._time.GetTimestamp();

        public void Dispose() => _gate.Lock.Release();
    }
}

/// <summary>
/// The one HTTP client harvesters use: polite (one request at a time per host, a least interval, a User-Agent
/// with a contact address, Retry-After honoured), robust (exponential back-off with jitter on 5xx, 429, timeouts and
/// broken connections, a cap on attempts, a body size cap, a timeout covering a slow body), and thrifty
/// (gzip/deflate/br, conditional GET). Redirects are followed here so the caller learns the final URL and whether
/// the move is permanent.
/// </summary>
public sealed class PoliteHttp(HttpClient http, HostPacer pacer, IOptions<HarvestingOptions> options, TimeProvider time, ILogger<PoliteHttp> logger)
{
    private const int MaxRedirects = 10;
    private readonly HarvestingOptions _options = options.Value;

    public string UserAgent => $"{_options.UserAgent} (+mailto:{_options.ContactEmail})";

    public async Task<FetchResponse> GetAsync(FetchRequest request, CancellationToken ct)
    {
        var interval = request.MinInterval ?? TimeSpan.FromMilliseconds(_options.DefaultDelayMs);
        var maxBytes = request.MaxBytes ?? _options.MaxResponseBytes;
        using var lease = await pacer.EnterAsync(request.Url.IdnHost, ct);
        var extraWait = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            await lease.WaitTurnAsync(interval, extraWait, ct);
            Failure failure;
            try
            {
                return await AttemptAsync(request, maxBytes, attempt, ct);
            }
            catch (AttemptFailure ex)
            {
                failure = ex.Failure;
            }
            finally
            {
                lease.Done();
            }
            if (!failure.Transient || attempt >= _options.MaxAttempts)
            {
                var suffix = failure.Transient && attempt > 1 ? string.Create(CultureInfo.InvariantCulture, $" (gave up after {attempt} attempts)") : "";
                throw new FetchException(failure.Message + suffix, request.Url, failure.Status, attempt, failure.Body, failure.Inner);
            }
            extraWait = failure.RetryAfter ?? Backoff(attempt);
            if (extraWait > TimeSpan.FromSeconds(_options.MaxRetryAfterSeconds))
            {
                throw new FetchException(string.Create(CultureInfo.InvariantCulture,
                    $"{failure.Message}; the server asks to wait {extraWait.TotalSeconds:N0} s, more than Harvesting:MaxRetryAfterSeconds"),
                    request.Url, failure.Status, attempt, failure.Body, failure.Inner);
            }
            HarvestingLog.Retrying(logger, request.Url, attempt, failure.Message, extraWait.TotalSeconds);
        }
    }

    /// <summary>Exponential back-off with ±50 % jitter, so retrying clients do not march in step.</summary>
    private TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(_options.RetryBaseDelayMs * Math.Pow(2, attempt - 1) * (0.5 + Random.Shared.NextDouble()));

    private sealed record Failure(string Message, bool Transient, HttpStatusCode? Status = null, TimeSpan? RetryAfter = null, byte[]? Body = null, Exception? Inner = null);

    private sealed class AttemptFailure(Failure failure) : Exception(failure.Message)
    {
        public Failure Failure { get; } = failure;
    }

    private async Task<FetchResponse> AttemptAsync(FetchRequest request, long maxBytes, int attempt, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_options.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        var url = request.Url;
        var permanent = true;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var message = new HttpRequestMessage(HttpMethod.Get, url);
                message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                message.Headers.TryAddWithoutValidation("Accept", request.Accept);
                if (request.ETag is { Length: > 0 } etag) message.Headers.TryAddWithoutValidation("If-None-Match", etag);
                if (request.LastModified is { Length: > 0 } lm) message.Headers.TryAddWithoutValidation("If-Modified-Since", lm);
                using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    if (hop >= MaxRedirects) throw new AttemptFailure(new Failure($"{request.Url}: more than {MaxRedirects} redirects", false, response.StatusCode));
                    permanent &= status is 301 or 308;
                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (url.Scheme is not ("http" or "https")) throw new AttemptFailure(new Failure($"{request.Url}: redirected to a {url.Scheme}: URL", false, response.StatusCode));
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return Response(request, response, url, permanent && url != request.Url, attempt, []);
                }
                if (!response.IsSuccessStatusCode)
                {
                    var transient = status >= 500 || status is 429 or 408;
                    var body = transient ? null : await ReadCappedAsync(response, 64 * 1024, url, truncate: true, linked.Token);
                    throw new AttemptFailure(new Failure($"{url}: HTTP {status} {response.ReasonPhrase}".TrimEnd(), transient, response.StatusCode, RetryAfter(response), body));
                }
                var bytes = await ReadCappedAsync(response, maxBytes, url, truncate: false, linked.Token);
                return Response(request, response, url, permanent && url != request.Url, attempt, bytes);
            }
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new AttemptFailure(new Failure($"{url}: no complete answer within {_options.TimeoutSeconds} s (Harvesting:TimeoutSeconds)", true, Inner: ex));
        }
        catch (HttpRequestException ex) when (FindBlocked(ex) is { } blocked)
        {
            throw new AttemptFailure(new Failure($"{url}: {blocked.Message}", false, Inner: ex));
        }
        catch (HttpRequestException ex)
        {
            throw new AttemptFailure(new Failure($"{url}: {Describe(ex)}", true, Inner: ex));
        }
        catch (IOException ex)
        {
            throw new AttemptFailure(new Failure($"{url}: the connection broke while reading the answer ({ex.Message})", true, Inner: ex));
        }
    }

    private static FetchResponse Response(FetchRequest request, HttpResponseMessage response, Uri finalUrl, bool permanent, int attempt, byte[] body) => new()
    {
        Status = response.StatusCode,
        Body = body,
        MediaType = response.Content.Headers.ContentType?.MediaType,
        Charset = response.Content.Headers.ContentType?.CharSet?.Trim('"', ' '),
        // A 304 confirms the validators sent; a 200 brings its own (or none).
        ETag = response.Headers.ETag?.ToString() ?? (response.StatusCode == HttpStatusCode.NotModified ? request.ETag : null),
        LastModified = response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture)
            ?? (response.StatusCode == HttpStatusCode.NotModified ? request.LastModified : null),
        RequestedUrl = request.Url,
        FinalUrl = finalUrl,
        PermanentRedirect = permanent,
        Attempts = attempt,
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - time.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        return null;
    }

    /// <summary>Reads the body with a cap: a body over the limit is an error (or, for error pages, cut short).</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long maxBytes, Uri url, bool truncate, CancellationToken ct)
    {
        if (!truncate && response.Content.Headers.ContentLength is { } length && length > maxBytes) throw TooLarge(url, maxBytes);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, ct);
            if (read == 0) break;
            if (buffer.Length + read > maxBytes)
            {
                if (truncate)
                {
                    buffer.Write(chunk, 0, (int)(maxBytes - buffer.Length));
                    break;
                }
                throw TooLarge(url, maxBytes);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static AttemptFailure TooLarge(Uri url, long maxBytes) => new(new Failure(
        string.Create(CultureInfo.InvariantCulture, $"{url}: the answer is larger than {maxBytes:N0} bytes (Harvesting:MaxResponseBytes)"), false));

    private static BlockedAddressException? FindBlocked(Exception ex)
    {
        for (var e = ex.InnerException; e is not null; e = e.InnerException)
            if (e is BlockedAddressException blocked) return blocked;
        return null;
    }

    private static string Describe(HttpRequestException ex) =>
        ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;

    /// <summary>
    /// The primary handler: decompression, no automatic redirects (PoliteHttp follows them to report them), and a
    /// connect step that refuses loopback, private and link-local addresses unless configuration allows them;
    /// checking the address actually connected to also covers redirects and DNS answers that change.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(HarvestingOptions options) => new()
    {
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(Math.Min(30, options.TimeoutSeconds)),
        UseCookies = false,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            if (!options.AllowPrivateAddresses)
            {
                var blocked = addresses.Where(IsPrivate).ToList();
                if (blocked.Count > 0 || addresses.Length == 0)
                {
                    throw new BlockedAddressException(
                        $"{context.DnsEndPoint.Host} resolves to a loopback, private or link-local address ({string.Join(", ", blocked)}); such addresses are not fetched");
                }
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, CGNAT, unspecified and multicast addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any);
        }
        var v4 = address.GetAddressBytes();
        return v4[0] is 0 or 10 or 127 || v4[0] >= 224
            || (v4[0] == 172 && v4[1] is >= 16 and <= 31)
            || (v4[0] == 192 && v4[1] == 168)
            || (v4[0] == 169 && v4[1] == 254)
            || (v4[0] == 100 && v4[1] is >= 64 and <= 127);
    }
}
