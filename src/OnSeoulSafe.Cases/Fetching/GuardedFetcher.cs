using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using OnSeoulSafe.Cases.Deletion;

namespace OnSeoulSafe.Cases.Fetching;

/// <summary>How one fetch ended, before anyone reads meaning into it.</summary>
public enum FetchStatus
{
    /// <summary>A 2xx answer; its body (up to the cap) is in <see cref="FetchResult.Body"/>.</summary>
    Served,

    /// <summary>Any other final status (404, 503 ...): <see cref="FetchResult.StatusCode"/>.</summary>
    Status,
    NotALink,
    Scheme,
    TooManyRedirects,
    RedirectWithoutLocation,
    Timeout,

    /// <summary>The destination is not allowed (a private address): <see cref="FetchResult.Reason"/> says which rule.</summary>
    Refused,
    Network,
}

/// <summary>
/// One fetch. <see cref="Body"/> holds at most the cap; <see cref="Truncated"/> says more was there (or announced),
/// in which case the body is partial (or empty when the announced length was already too large).
/// </summary>
public sealed record FetchResult(FetchStatus Status, string Reason, int? StatusCode, int Redirects, Uri? FinalAddress, string? ContentType, byte[]? Body, long BytesRead, bool Truncated);

/// <summary>Per-call limits.</summary>
public sealed record FetchLimits(TimeSpan TotalTimeout, long MaxBodyBytes, int MaxRedirects, string UserAgent);

/// <summary>
/// Fetches public web addresses defensively, for the re-check job and the monitoring crawl alike: connect and total
/// timeouts, no cookies, no proxy, no Referer, a neutral User-Agent, no decompression (so the cap counts what is
/// kept), a cap on the bytes read, redirects followed by hand up to a limit, and — checked at connect time, on every
/// address DNS returns, so DNS rebinding cannot get round it — no private, loopback, link-local or other non-public
/// destination unless configured (tests and local trials).
/// </summary>
public sealed class GuardedFetcher : IDisposable
{
    private readonly bool _allowPrivateAddresses;
    private readonly bool _loopbackOnly;
    private readonly HttpClient _client;

    /// <param name="loopbackOnly">Demo runs: nothing but 127.0.0.1 and ::1 (with <paramref name="allowPrivateAddresses"/>).</param>
    public GuardedFetcher(TimeSpan connectTimeout, bool allowPrivateAddresses, int maxConnectionsPerServer = int.MaxValue, bool loopbackOnly = false)
    {
        _allowPrivateAddresses = allowPrivateAddresses;
        _loopbackOnly = loopbackOnly;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = connectTimeout,
            MaxResponseHeadersLength = 64,
            MaxConnectionsPerServer = maxConnectionsPerServer,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        // Loopback only: a named host (a demo link on a reserved example domain) is not even looked up in DNS.
        if (_loopbackOnly && !IPAddress.TryParse(host.Trim('[', ']'), out _) && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new DestinationRefusedException("not-loopback");
        }
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new DestinationRefusedException("no-address");
        }
        if (!_allowPrivateAddresses && addresses.Any(a => !AddressRules.IsPublic(a)))
        {
            throw new DestinationRefusedException("private-address");
        }
        if (_loopbackOnly && addresses.Any(a => !IPAddress.IsLoopback(a)))
        {
            throw new DestinationRefusedException("not-loopback");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// GETs <paramref name="url"/>. With <paramref name="readBody"/> false on a 2xx answer, nothing of the body is read
    /// (the answer's headers are enough). Never throws for anything the network or the site does.
    /// </summary>
    public async Task<FetchResult> GetAsync(string url, FetchLimits limits, CancellationToken cancellationToken, bool readBody = true)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limits.TotalTimeout);
        var redirects = 0;
        Uri? current = null;
        try
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out current))
            {
                return Ended(FetchStatus.NotALink, "not-a-link");
            }
            while (true)
            {
                if (!IsFetchable(current))
                {
                    return Ended(FetchStatus.Scheme, "scheme");
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.UserAgent.ParseAdd(limits.UserAgent);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (redirects >= limits.MaxRedirects)
                    {
                        return Ended(FetchStatus.TooManyRedirects, "too-many-redirects", status);
                    }
                    if (response.Headers.Location is not { } location)
                    {
                        return Ended(FetchStatus.RedirectWithoutLocation, "redirect-without-location", status);
                    }
                    current = new Uri(current, location);
                    redirects++;
                    continue;
                }
                if (status is < 200 or > 299)
                {
                    return Ended(FetchStatus.Status, "status", status);
                }
                return await ReadBodyAsync(response, current, status, redirects, limits.MaxBodyBytes, readBody, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Ended(FetchStatus.Timeout, "timeout");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return Refusal(e) is { } refused ? Ended(FetchStatus.Refused, refused.Reason) : Ended(FetchStatus.Network, "network");
        }

        FetchResult Ended(FetchStatus status, string reason, int? code = null) => new(status, reason, code, redirects, current, null, null, 0, false);
    }

    private static async Task<FetchResult> ReadBodyAsync(HttpResponseMessage response, Uri address, int status, int redirects, long cap, bool readBody, CancellationToken cancellationToken)
    {
        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (!readBody) return new FetchResult(FetchStatus.Served, "served", status, redirects, address, contentType, null, 0, false);
        if (response.Content.Headers.ContentLength is { } declared && declared > cap)
        {
            // Do not even start on a body announced as too large.
            return new FetchResult(FetchStatus.Served, "too-large", status, redirects, address, contentType, [], 0, true);
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var kept = new MemoryStream();
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (total + read > cap)
            {
                kept.Write(buffer, 0, (int)(cap - total));
                return new FetchResult(FetchStatus.Served, "too-large", status, redirects, address, contentType, kept.ToArray(), cap, true);
            }
            total += read;
            kept.Write(buffer, 0, read);
        }
        return new FetchResult(FetchStatus.Served, "served", status, redirects, address, contentType, kept.ToArray(), total, false);
    }

    private static bool IsFetchable(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.UserInfo) && !string.IsNullOrEmpty(uri.Host);

    private static DestinationRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DestinationRefusedException refused) return refused;
        }
        return null;
    }

    public void Dispose() => _client.Dispose();

    private sealed class DestinationRefusedException(string reason) : IOException("The destination address is not allowed.")
    {
        public string Reason { get; } = reason;
    }
}
