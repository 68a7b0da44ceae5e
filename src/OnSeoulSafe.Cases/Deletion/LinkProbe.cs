using System.Security.Cryptography;
using System.Text;
using OnSeoulSafe.Cases.Fetching;

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
/// Fetches a link for the re-check job through the <see cref="GuardedFetcher"/> (timeouts, size cap, redirects
/// followed by hand, no private destinations unless configured) and says whether it is gone, still up (with the
/// SHA-256 of what it serves) or could not be checked.
/// </summary>
public sealed class LinkProbe(RecheckOptions options) : IDisposable
{
    private const int MarkerWindowBytes = 256 * 1024;
    private readonly GuardedFetcher _fetcher = new(options.ConnectTimeout, options.AllowPrivateAddresses, loopbackOnly: options.LoopbackOnly);
    private readonly FetchLimits _limits = new(options.TotalTimeout, options.MaxBodyBytes, options.MaxRedirects, options.UserAgent);

    public async Task<ProbeResult> ProbeAsync(string url, string? removedPageMarker, CancellationToken cancellationToken)
    {
        var fetched = await _fetcher.GetAsync(url, _limits, cancellationToken);
        return fetched.Status switch
        {
            FetchStatus.NotALink or FetchStatus.Scheme or FetchStatus.Refused => Ended(Domain.RecheckOutcome.Refused),
            FetchStatus.Status when fetched.StatusCode is 404 or 410 or 451 => Ended(Domain.RecheckOutcome.Gone),
            FetchStatus.Served => Served(fetched, removedPageMarker),
            _ => Ended(Domain.RecheckOutcome.Unreachable),
        };

        ProbeResult Ended(Domain.RecheckOutcome outcome) => new(outcome, fetched.Reason, fetched.StatusCode, fetched.Redirects, 0, false, null);
    }

    private static ProbeResult Served(FetchResult fetched, string? marker)
    {
        var body = fetched.Body ?? [];
        if (!string.IsNullOrWhiteSpace(marker)
            && Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, MarkerWindowBytes)).Contains(marker.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return new ProbeResult(Domain.RecheckOutcome.Gone, "removed-page", fetched.StatusCode, fetched.Redirects, fetched.BytesRead, fetched.Truncated, null);
        }
        // A body cut at the cap cannot be matched by its hash: still up, hash unknown.
        var hash = fetched.Truncated ? null : Convert.ToHexStringLower(SHA256.HashData(body));
        return new ProbeResult(Domain.RecheckOutcome.StillUp, fetched.Reason, fetched.StatusCode, fetched.Redirects, fetched.BytesRead, fetched.Truncated, hash)
        {
            Picture = !fetched.Truncated && LooksLikePicture(body) ? body : null,
        };
    }

    /// <summary>JPEG, PNG, GIF, WebP or BMP by their first bytes, whatever the Content-Type claims.</summary>
    private static bool LooksLikePicture(ReadOnlySpan<byte> head) =>
        head.StartsWith((byte[])[0xFF, 0xD8, 0xFF])
        || head.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        || head.StartsWith("GIF8"u8)
        || (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        || head.StartsWith("BM"u8);

    public void Dispose() => _fetcher.Dispose();
}
