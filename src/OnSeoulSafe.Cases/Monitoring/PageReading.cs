using AngleSharp.Html.Parser;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>The addresses a page leads to: other pages, and pictures and videos.</summary>
public sealed record PageLinks(IReadOnlyList<Uri> Pages, IReadOnlyList<Uri> Media);

/// <summary>
/// Reads a page's links and media the way a browser would find them: <c>img</c> (src and srcset), <c>video</c> and
/// <c>source</c> (src, srcset, poster), <c>og:image</c>/<c>og:video</c> and <c>twitter:image</c>, and links whose
/// address ends like a picture or video file; other http(s) links are pages. Fragments are dropped; at most
/// <paramref name="max"/> of each.
/// </summary>
public static class PageReading
{
    private static readonly string[] MediaEndings = [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".heic", ".mp4", ".m4v", ".webm", ".mov"];
    private static readonly string[] MediaMeta = ["og:image", "og:image:url", "og:image:secure_url", "og:video", "og:video:url", "og:video:secure_url", "twitter:image"];

    public static PageLinks Read(string html, Uri address, int max)
    {
        var document = new HtmlParser().ParseDocument(html);
        var baseAddress = document.QuerySelector("base[href]")?.GetAttribute("href") is { } href && Uri.TryCreate(address, href, out var b) ? b : address;
        var media = new List<string?>();
        foreach (var element in document.QuerySelectorAll("img, video, source, audio"))
        {
            media.Add(element.GetAttribute("src"));
            media.Add(element.GetAttribute("poster"));
            media.AddRange(FirstOfEachCandidate(element.GetAttribute("srcset")));
        }
        foreach (var meta in document.QuerySelectorAll("meta[property], meta[name]"))
        {
            var name = meta.GetAttribute("property") ?? meta.GetAttribute("name");
            if (MediaMeta.Contains(name, StringComparer.OrdinalIgnoreCase)) media.Add(meta.GetAttribute("content"));
        }
        var pages = new List<string?>();
        foreach (var link in document.QuerySelectorAll("a[href]"))
        {
            var target = link.GetAttribute("href");
            if (Resolve(baseAddress, target) is { } uri && MediaEndings.Any(e => uri.AbsolutePath.EndsWith(e, StringComparison.OrdinalIgnoreCase))) media.Add(target);
            else pages.Add(target);
        }
        return new PageLinks(Distinct(baseAddress, pages, max), Distinct(baseAddress, media, max));
    }

    private static IEnumerable<string?> FirstOfEachCandidate(string? srcset) =>
        (srcset ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault());

    private static List<Uri> Distinct(Uri baseAddress, IEnumerable<string?> addresses, int max) =>
        addresses.Select(a => Resolve(baseAddress, a)).OfType<Uri>().DistinctBy(u => u.AbsoluteUri).Take(max).ToList();

    private static Uri? Resolve(Uri baseAddress, string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 2000 || !Uri.TryCreate(baseAddress, value.Trim(), out var uri)) return null;
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) return null;
        return new UriBuilder(uri) { Fragment = "" }.Uri;
    }
}
