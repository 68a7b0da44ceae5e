using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>Finds the platform a link is on from its host, against the platforms' host patterns.</summary>
public static class PlatformMatching
{
    /// <summary>
    /// The active platform whose host pattern matches the host of <paramref name="normalisedUrl"/>; when several do,
    /// the most specific pattern wins (<c>m.video.example.com</c> over <c>example.com</c>). Null when none matches.
    /// </summary>
    public static Platform? Find(IEnumerable<Platform> platforms, string normalisedUrl)
    {
        var host = ContentLinks.Host(normalisedUrl);
        return platforms
            .Where(p => p.IsActive)
            .Select(p => (Platform: p, Length: p.MatchLength(host)))
            .Where(m => m.Length > 0)
            .OrderByDescending(m => m.Length)
            .ThenBy(m => m.Platform.Id)
            .Select(m => m.Platform)
            .FirstOrDefault();
    }

    /// <summary>True when <paramref name="pattern"/> is a host name a platform can be matched by (no scheme, path or wildcard).</summary>
    public static bool IsValidHostPattern(string pattern)
    {
        var p = pattern.Trim().ToLowerInvariant();
        return p.Length is > 0 and <= 253 && p.Contains('.', StringComparison.Ordinal)
            && Uri.CheckHostName(p) == UriHostNameType.Dns
            && p.Split('.').All(label => label.Length is > 0 and <= 63);
    }
}
