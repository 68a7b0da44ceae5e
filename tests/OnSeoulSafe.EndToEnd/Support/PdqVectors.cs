using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// Meta's PDQ reference vectors (<c>&lt;repo&gt;/../shared/pdq-vectors</c>, see its README): the expected rows and the
/// files, served to the page under the portal's own address (the browser reaches nothing else).
/// </summary>
public static class PdqVectors
{
    public const string RoutePrefix = "/__pdq-vectors/";

    public static string Root { get; } = Find();

    public sealed record Row(string File, string Hex, int Quality, string Tier);

    public sealed record VideoFrame(int Frame, int Quality, string Hex, double Timestamp);

    /// <summary>The reference vPDQ hashes of <c>video/test-padded-dimensions.mp4</c>, every frame.</summary>
    public static IReadOnlyList<VideoFrame> VideoFrames() =>
        File.ReadAllLines(Path.Combine(Root, "video", "test-padded-dimensions.expected.txt"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(','))
            .Select(c => new VideoFrame(int.Parse(c[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture), c[2],
                double.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path.Combine(Root, relative));

    public sealed record Dihedral(string File, string Transform, string Hex, int Quality, string Source);

    /// <summary>The rows of expected.tsv for files shipped with the vectors (images/ and pixels/), core tiers only.</summary>
    public static IReadOnlyList<Row> CoreRows() =>
        Tsv("expected.tsv")
            .Where(c => c[4] is "core-exact" or "core-jpeg" or "degenerate" && (c[0].StartsWith("images/", StringComparison.Ordinal) || c[0].StartsWith("pixels/", StringComparison.Ordinal)))
            .Select(c => new Row(c[0], c[1], int.Parse(c[2], System.Globalization.CultureInfo.InvariantCulture), c[4]))
            .ToList();

    public static IReadOnlyList<Dihedral> DihedralRows() =>
        Tsv("dihedral.tsv")
            .Select(c => new Dihedral(c[0], c[1], c[2], int.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture), c[4]))
            .ToList();

    /// <summary>Answers <see cref="RoutePrefix"/> requests on the portal's address with the vector files.</summary>
    public static Task ServeAsync(IPage page, Uri portal) =>
        page.RouteAsync(new Uri(portal, RoutePrefix).ToString() + "**", async route =>
        {
            var relative = Uri.UnescapeDataString(new Uri(route.Request.Url).AbsolutePath[RoutePrefix.Length..]);
            var path = Path.GetFullPath(Path.Combine(Root, relative));
            if (!path.StartsWith(Root, StringComparison.Ordinal) || !File.Exists(path))
            {
                await route.FulfillAsync(new RouteFulfillOptions { Status = 404 });
                return;
            }
            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, BodyBytes = await File.ReadAllBytesAsync(path), ContentType = "application/octet-stream" });
        });

    private static IEnumerable<string[]> Tsv(string name) =>
        File.ReadAllLines(Path.Combine(Root, name)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OnSeoulSafe.sln")))
            {
                var root = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "pdq-vectors")) + Path.DirectorySeparatorChar;
                return Directory.Exists(root) ? root : throw new InvalidOperationException($"The PDQ reference vectors were not found at {root}.");
            }
        }
        throw new InvalidOperationException("The repository root (OnSeoulSafe.sln) was not found above the test's folder.");
    }
}
