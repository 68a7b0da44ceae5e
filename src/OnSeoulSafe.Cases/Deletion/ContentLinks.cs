using System.Globalization;
using System.Text.RegularExpressions;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>
/// Normalises links to content so the same link typed twice is recognised as one: scheme and host lower-cased,
/// default port, fragment and trailing slash dropped, tracking parameters removed. Only http and https are accepted.
/// A link typed without its scheme, as people copy them from an app (<c>t.me/channel</c>, <c>www.example.com/x</c>),
/// is completed with https:// rather than refused.
/// </summary>
public static partial class ContentLinks
{
    private static readonly string[] TrackingParameters = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid", "igshid"];

    public const int MaxLength = 2000;

    /// <summary>Returns the normalised link, or null when <paramref name="input"/> is not an http(s) link.</summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var trimmed = WithScheme(input.Trim());
        if (trimmed.Length > MaxLength || trimmed.Any(char.IsControl)) return null;
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        if (string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo)) return null;

        // An IPv6 literal keeps its brackets (without them the link is no address at all); names go to their
        // ASCII (punycode) form.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.ToLowerInvariant() : uri.IdnHost.ToLowerInvariant().TrimEnd('.');
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var path = uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : "";
        var query = string.Join('&', uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !TrackingParameters.Contains(p.Split('=')[0].ToLowerInvariant())));
        return $"{uri.Scheme}://{host}{port}{path}{(query.Length > 0 ? "?" + query : "")}";
    }

    /// <summary>
    /// Adds https:// to a link that starts with a host name (at least two labels, an optional port) and has no scheme;
    /// anything else is left as it is, so <c>javascript:</c>, <c>mailto:</c> or plain words are still refused.
    /// </summary>
    private static string WithScheme(string link) =>
        link.StartsWith("//", StringComparison.Ordinal) ? "https:" + link
        : SchemelessHost().IsMatch(link) ? "https://" + link
        : link;

    [GeneratedRegex(@"^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+\.?(?::[0-9]{1,5})?(?:[/?#]\S*)?$")]
    private static partial Regex SchemelessHost();

    /// <summary>
    /// Whether staff may be offered the link to open: not when its host is a loopback, private, link-local (cloud
    /// metadata) or otherwise reserved address, or a local-only name. A victim's report must not turn a staff
    /// member's click into a request inside the center's own network.
    /// </summary>
    public static bool MayOpen(string link)
    {
        if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)) return false;
        if (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address)) return AddressRules.IsPublic(address);
        var host = uri.IdnHost.ToLowerInvariant().TrimEnd('.');
        return !(host == "localhost" || !host.Contains('.', StringComparison.Ordinal) || LocalSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal)));
    }

    private static readonly string[] LocalSuffixes = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp"];

    /// <summary>The host of a normalised link, for matching it to a platform.</summary>
    public static string Host(string normalised) => new Uri(normalised).Host;
}
