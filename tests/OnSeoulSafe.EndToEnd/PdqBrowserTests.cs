using System.Text.Json;
using Microsoft.Playwright;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// The portal's own PDQ hasher (wwwroot/js/pdq.js) run in Chromium on every reference vector: the hash and the
/// quality the person's browser computes must be Meta's, so a copy found later is recognised.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PdqBrowserTests(PortalServer portal)
{
    private sealed record Hashed(string Hash, int Quality, string? Error);

    [Fact]
    public async Task Every_reference_picture_hashes_in_the_browser_as_the_reference_core_does()
    {
        // Arrange
        var rows = PdqVectors.CoreRows();
        rows.Count.ShouldBe(39);
        var page = await HasherPageAsync();

        // Act
        var hashed = await HashAllAsync(page, rows.Select(r => r.File).ToList());

        // Assert
        var wrong = new List<string>();
        foreach (var row in rows)
        {
            var got = hashed[row.File];
            got.Error.ShouldBeNull(row.File);
            if (row.Tier == "degenerate")
            {
                // The flat image's bits are floating-point noise (the vectors' README): only its quality is defined.
                got.Quality.ShouldBe(0, row.File);
                continue;
            }
            if (got.Hash != row.Hex || got.Quality != row.Quality)
            {
                wrong.Add($"{row.File}: {got.Hash} q{got.Quality}, expected {row.Hex} q{row.Quality} (distance {Distance(got.Hash, row.Hex)})");
            }
        }
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_photo_with_an_EXIF_rotation_hashes_as_its_stored_pixels_like_the_reference()
    {
        var page = await HasherPageAsync();

        var hashed = await HashAllAsync(page, ["images/exif6__labelme-subset__q0122.jpg", "images/labelme-subset__q0122.jpg"]);

        // Chromium shows the picture rotated; the reference ignores the tag, and so must the fingerprint.
        hashed["images/exif6__labelme-subset__q0122.jpg"].ShouldBe(hashed["images/labelme-subset__q0122.jpg"]);
        var expected = PdqVectors.CoreRows().Single(r => r.File == "images/labelme-subset__q0122.jpg");
        hashed["images/exif6__labelme-subset__q0122.jpg"].Hash.ShouldBe(expected.Hex);
    }

    [Fact]
    public async Task The_eight_rotations_and_flips_come_from_the_DCT_as_the_reference_computes_them()
    {
        // Arrange: the reference core's rows (the command-line tool's rows pre-resize to 512x512 and are not the core).
        var rows = PdqVectors.DihedralRows().Where(r => r.Source.StartsWith("C++ reference core", StringComparison.Ordinal)).ToList();
        rows.Select(r => r.File).Distinct().Count().ShouldBe(9);
        var page = await HasherPageAsync();

        // Act
        var files = rows.Select(r => r.File).Distinct().ToList();
        var json = await page.EvaluateAsync<JsonElement>(
            """
            async files => {
                const out = {};
                for (const file of files) {
                    const blob = await (await fetch('/__pdq-vectors/' + file)).blob();
                    const p = await Pdq.pixels(blob);
                    out[file] = Pdq.dihedralFromRgba(p.data, p.width, p.height);
                }
                return out;
            }
            """, files);

        // Assert
        var wrong = rows
            .Select(r => (Row: r, Got: json.GetProperty(r.File).GetProperty(r.Transform)))
            .Where(x => x.Got.GetProperty("hash").GetString() != x.Row.Hex || x.Got.GetProperty("quality").GetInt32() != x.Row.Quality)
            .Select(x => $"{x.Row.File} {x.Row.Transform}: {x.Got.GetProperty("hash").GetString()}, expected {x.Row.Hex}")
            .ToList();
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_sample_video_gives_one_hash_per_second_within_31_bits_of_the_reference_frames()
    {
        // Arrange: Debian's Chromium decodes H.264, so the reference's own MP4 is used as it is.
        var expected = PdqVectors.VideoFrames();
        var page = await HasherPageAsync();

        // Act
        var json = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
                const blob = await (await fetch('/__pdq-vectors/video/test-padded-dimensions.mp4')).blob();
                const progress = [];
                const result = await Pdq.videoFrames(blob, { onProgress: (done, total) => progress.push(done + '/' + total) });
                return { frames: result.frames, total: result.total, truncated: result.truncated, progress };
            }
            """);

        // Assert: a 5-second video at 30 fps: seconds 0 to 4, i.e. the reference's frames 0, 30, 60, 90 and 120.
        var frames = json.GetProperty("frames").EnumerateArray().ToList();
        frames.Select(f => f.GetProperty("second").GetInt32()).ShouldBe([0, 1, 2, 3, 4]);
        json.GetProperty("truncated").GetBoolean().ShouldBeFalse();
        json.GetProperty("progress").EnumerateArray().Select(p => p.GetString()).ShouldBe(["1/5", "2/5", "3/5", "4/5", "5/5"]);
        foreach (var frame in frames)
        {
            var second = frame.GetProperty("second").GetInt32();
            var reference = expected.Single(e => e.Timestamp == second);
            var hash = frame.GetProperty("hash").GetString()!;
            var quality = frame.GetProperty("quality").GetInt32();
            quality.ShouldBeGreaterThanOrEqualTo(50, $"second {second}");
            reference.Quality.ShouldBeGreaterThanOrEqualTo(50);
            Distance(hash, reference.Hex).ShouldBeLessThanOrEqualTo(31, $"second {second}: {hash} against {reference.Hex}");
        }
    }

    [Fact]
    public async Task A_picture_over_50_megapixels_is_refused_from_its_header_without_being_decoded()
    {
        // Arrange: a PNG whose header says 30,000 x 30,000 (a decompression bomb's shape).
        var page = await HasherPageAsync();

        // Act
        var code = await page.EvaluateAsync<string>(
            """
            async () => {
                const bytes = new Uint8Array(64);
                bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x75, 0x30, 0, 0, 0x75, 0x30, 8, 2, 0, 0, 0]);
                try { await Pdq.fromBlob(new Blob([bytes], { type: 'image/png' })); return 'hashed'; }
                catch (e) { return e.code; }
            }
            """);

        // Assert
        code.ShouldBe("too-large");
    }

    private async Task<IPage> HasherPageAsync()
    {
        var page = await portal.NewPageAsync("en-US");
        await PdqVectors.ServeAsync(page, portal.Address);
        await page.GotoAsync("/report");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/js/pdq.js" });
        return page;
    }

    private static async Task<Dictionary<string, Hashed>> HashAllAsync(IPage page, IReadOnlyList<string> files)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            """
            async files => {
                const out = {};
                for (const file of files) {
                    try {
                        const blob = await (await fetch('/__pdq-vectors/' + file)).blob();
                        out[file] = await Pdq.fromBlob(blob);
                    } catch (e) {
                        out[file] = { hash: '', quality: -1, error: String(e && (e.code || e.message) || e) };
                    }
                }
                return out;
            }
            """, files);
        return files.ToDictionary(f => f, f =>
        {
            var item = json.GetProperty(f);
            return new Hashed(item.GetProperty("hash").GetString()!, item.GetProperty("quality").GetInt32(),
                item.TryGetProperty("error", out var error) ? error.GetString() : null);
        });
    }

    internal static int Distance(string a, string b) =>
        a.Length != b.Length ? 256 : a.Zip(b).Sum(p => System.Numerics.BitOperations.PopCount((uint)(Convert.ToInt32(p.First.ToString(), 16) ^ Convert.ToInt32(p.Second.ToString(), 16))));
}
