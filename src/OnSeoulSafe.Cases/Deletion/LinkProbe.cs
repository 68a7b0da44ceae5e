using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>What one fetch of a link showed. <see cref="Reason"/> is a short machine word, never the link.</summary>
public sealed record ProbeResult(Domain.RecheckOutcome Outcome, string Reason, int? StatusCode, int Redirects, long BytesRead, bool Truncated, string? BodySha256)
{
    /// <summary>
    /// The whole body when it is a picture format the hasher reads (by its first bytes), for a perceptual hash taken in
    /// memory; never stored, never logged.
    /// </summary>
    public byte[]? Picture { get; init; }
}

/// <summary>
/// Fetches a link for the re-check job, defensively: strict connect and total timeouts, no cookies, no proxy, no
/// Referer, a neutral User-Agent, no decompression, a cap on the bytes read, redirects followed by hand (each hop
/// re-validated) up to a limit, and — checked at connect time, on every address DNS returns, so DNS rebinding
/// cannot get round it — no private, loopback, link-local or other non-public destination unless configured.
/// </summary>
public sealed class LinkProbe : IDisposable
{
    private const int MarkerWindowBytes = 256 * 1024;
    private const int PictureSniffBytes = 12;
    private readonly RecheckOptions _options;
    private readonly HttpClient _client;

    public LinkProbe(RecheckOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.ConnectTimeout,
            MaxResponseHeadersLength = 64,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ResponseDrainTimeout = TimeSpan.FromSeconds(1),
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new DestinationRefusedException("no-address");
        }
        if (!_options.AllowPrivateAddresses && addresses.Any(a => !AddressRules.IsPublic(a)))
        {
            throw new DestinationRefusedException("private-address");
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

    public async Task<ProbeResult> ProbeAsync(string url, string? removedPageMarker, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.TotalTimeout);
        var redirects = 0;
        try
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var current))
            {
                return new ProbeResult(Domain.RecheckOutcome.Refused, "not-a-link", null, 0, 0, false, null);
            }
            while (true)
            {
                if (!IsFetchable(current))
                {
                    return new ProbeResult(Domain.RecheckOutcome.Refused, "scheme", null, redirects, 0, false, null);
                }
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.UserAgent.ParseAdd(_options.UserAgent);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (redirects >= _options.MaxRedirects)
                    {
                        return new ProbeResult(Domain.RecheckOutcome.Unreachable, "too-many-redirects", status, redirects, 0, false, null);
                    }
                    if (response.Headers.Location is not { } location)
                    {
                        return new ProbeResult(Domain.RecheckOutcome.Unreachable, "redirect-without-location", status, redirects, 0, false, null);
                    }
                    current = new Uri(current, location);
                    redirects++;
                    continue;
                }
                if (status is 404 or 410 or 451)
                {
                    return new ProbeResult(Domain.RecheckOutcome.Gone, "status", status, redirects, 0, false, null);
                }
                if (status is < 200 or > 299)
                {
                    return new ProbeResult(Domain.RecheckOutcome.Unreachable, "status", status, redirects, 0, false, null);
                }
                return await ReadBodyAsync(response, status, redirects, removedPageMarker, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(Domain.RecheckOutcome.Unreachable, "timeout", null, redirects, 0, false, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            return Refusal(e) is { } refused
                ? new ProbeResult(Domain.RecheckOutcome.Refused, refused.Reason, null, redirects, 0, false, null)
                : new ProbeResult(Domain.RecheckOutcome.Unreachable, "network", null, redirects, 0, false, null);
        }
    }

    private async Task<ProbeResult> ReadBodyAsync(HttpResponseMessage response, int status, int redirects, string? marker, CancellationToken cancellationToken)
    {
        var cap = _options.MaxBodyBytes;
        if (response.Content.Headers.ContentLength is { } declared && declared > cap)
        {
            // Do not even start on a body announced as too large: still up, but its hash cannot be known.
            return new ProbeResult(Domain.RecheckOutcome.StillUp, "too-large", status, redirects, 0, true, null);
        }
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[16 * 1024];
        var window = new MemoryStream();
        // The body is kept (within the cap) only while its first bytes say picture: it is hashed perceptually in memory.
        MemoryStream? picture = null;
        var sniffed = false;
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (total + read > cap)
            {
                total = cap;
                return Finish(truncated: true);
            }
            total += read;
            sha.AppendData(buffer, 0, read);
            if (window.Length < MarkerWindowBytes) window.Write(buffer, 0, (int)Math.Min(read, MarkerWindowBytes - window.Length));
            if (!sniffed && window.Length >= PictureSniffBytes)
            {
                sniffed = true;
                if (LooksLikePicture(window.GetBuffer().AsSpan(0, PictureSniffBytes)))
                {
                    picture = new MemoryStream();
                    picture.Write(window.GetBuffer(), 0, (int)window.Length);
                }
            }
            else if (picture is not null)
            {
                picture.Write(buffer, 0, read);
            }
        }
        if (!sniffed && LooksLikePicture(window.GetBuffer().AsSpan(0, (int)window.Length)))
        {
            picture = window;
        }
        return Finish(truncated: false);

        ProbeResult Finish(bool truncated)
        {
            if (!string.IsNullOrWhiteSpace(marker)
                && Encoding.UTF8.GetString(window.GetBuffer(), 0, (int)window.Length).Contains(marker.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return new ProbeResult(Domain.RecheckOutcome.Gone, "removed-page", status, redirects, total, truncated, null);
            }
            var hash = truncated ? null : Convert.ToHexStringLower(sha.GetHashAndReset());
            return new ProbeResult(Domain.RecheckOutcome.StillUp, truncated ? "too-large" : "served", status, redirects, total, truncated, hash)
            {
                Picture = truncated ? null : picture?.ToArray(),
            };
        }
    }

    /// <summary>JPEG, PNG, GIF, WebP or BMP by their first bytes, whatever the Content-Type claims.</summary>
    private static bool LooksLikePicture(ReadOnlySpan<byte> head) =>
        head.StartsWith((byte[])[0xFF, 0xD8, 0xFF])
        || head.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        || head.StartsWith("GIF8"u8)
        || (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        || head.StartsWith("BM"u8);

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
