using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.EndToEnd.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// Perceptual fingerprints in the evidence forms, in a real browser: a picture's PDQ and a video's per-second PDQ reach
/// the hash bank, the files never leave the device, and files the browser cannot open still give their SHA-256 with a
/// sentence saying they will only be recognised unchanged.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PdqEvidenceTests(PortalServer portal)
{
    private const string Picture = "images/labelme-subset__q0122.jpg";
    private const string Video = "video/test-padded-dimensions.mp4";

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private async Task<(IPage Page, string Reference)> StatusLinksAsync(string culture, int width, int height)
    {
        var page = await portal.NewPageAsync(culture, width, height);
        var (reference, code) = await Intake.FileAsync(page);
        await Intake.OpenStatusAsync(page, reference, code);
        await page.GotoAsync("/status/links");
        return (page, reference);
    }

    [Fact]
    public async Task A_picture_and_a_video_leave_the_device_only_as_their_hashes_and_land_in_the_hash_bank()
    {
        // Arrange: a victim on a phone, in Korean, on the page that adds links and files.
        var picture = PdqVectors.Bytes(Picture);
        var video = PdqVectors.Bytes(Video);
        var (page, reference) = await StatusLinksAsync("ko-KR", 390, 844);
        var posts = new ConcurrentQueue<(string ContentType, byte[] Body)>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST") posts.Enqueue((request.Headers.GetValueOrDefault("content-type") ?? "", request.PostDataBuffer ?? []));
        };

        // Act
        await page.Locator("[data-evidence-file]").SetInputFilesAsync(
        [
            new FilePayload { Name = "photo.jpg", MimeType = "image/jpeg", Buffer = picture },
            new FilePayload { Name = "clip.mp4", MimeType = "video/mp4", Buffer = video },
        ]);
        await page.Locator("input[type=hidden][name='Evidence[1].Frames']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 120_000 });
        var listed = await page.Locator("[data-evidence-list]").InnerTextAsync();
        await Screens.SaveAsync(page, "evidence-fingerprints-phone-ko");
        await page.Locator("form:has([data-evidence-file]) button[type=submit]").ClickAsync();
        await page.Locator("#case-status").WaitForAsync();

        // Assert: the posted form was url-encoded and held none of either file's bytes.
        listed.ShouldContain("사진 지문(품질 100/100)");
        listed.ShouldContain("동영상 지문: 5초");
        var (contentType, body) = posts.ShouldHaveSingleItem();
        contentType.ShouldStartWith("application/x-www-form-urlencoded");
        var sent = Encoding.Latin1.GetString(body);
        foreach (var file in new[] { picture, video })
        {
            sent.ShouldNotContain(Convert.ToBase64String(file[..48]));
            for (var offset = 0; offset + 32 <= file.Length; offset += file.Length / 16)
            {
                sent.ShouldNotContain(Encoding.Latin1.GetString(file, offset, 32));
            }
        }
        var bank = await portal.WithDbAsync(db => db.HashBankEntries.Where(e => db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference)).OrderBy(e => e.Id).ToListAsync());
        bank.Where(e => e.Kind == HashKind.Sha256).Select(e => Convert.ToHexStringLower(e.Hash)).ShouldBe([Sha(picture), Sha(video)]);
        var expected = PdqVectors.CoreRows().Single(r => r.File == Picture);
        var pdq = bank.Single(e => e.Kind == HashKind.PdqImage);
        Convert.ToHexStringLower(pdq.Hash).ShouldBe(expected.Hex);
        pdq.Quality.ShouldBe((short)expected.Quality);
        var frames = bank.Where(e => e.Kind == HashKind.PdqVideoFrame).ToList();
        frames.Select(f => f.FrameSecond).ShouldBe([0, 1, 2, 3, 4]);
        var reference30 = PdqVectors.VideoFrames();
        foreach (var frame in frames)
        {
            var at = reference30.Single(r => r.Timestamp == frame.FrameSecond);
            PdqBrowserTests.Distance(Convert.ToHexStringLower(frame.Hash), at.Hex).ShouldBeLessThanOrEqualTo(31);
            frame.Quality!.Value.ShouldBeGreaterThanOrEqualTo((short)50);
        }
        bank.ShouldAllBe(e => e.SuppliedBy == HashSupplier.Victim);
    }

    [Fact]
    public async Task Files_the_browser_cannot_open_keep_their_SHA_256_and_say_they_will_only_be_recognised_unchanged()
    {
        // Arrange
        var corrupt = PdqVectors.Bytes(Picture)[..700].Concat(Enumerable.Repeat((byte)0x5a, 4000)).ToArray();
        var bomb = PngHeaderOnly(30_000, 30_000);
        var heic = Encoding.ASCII.GetBytes("\0\0\0\u0018ftypheic\0\0\0\0mif1heic").Concat(RandomNumberGenerator.GetBytes(2000)).ToArray();
        var (gif, firstFrame) = AnimatedGif();
        var brokenVideo = RandomNumberGenerator.GetBytes(20_000);
        var (page, _) = await StatusLinksAsync("en-US", 1280, 900);

        // Act
        await page.Locator("[data-evidence-file]").SetInputFilesAsync(
        [
            new FilePayload { Name = "empty.jpg", MimeType = "image/jpeg", Buffer = [] },
            new FilePayload { Name = "corrupt.jpg", MimeType = "image/jpeg", Buffer = corrupt },
            new FilePayload { Name = "bomb.png", MimeType = "image/png", Buffer = bomb },
            new FilePayload { Name = "photo.heic", MimeType = "image/heic", Buffer = heic },
            new FilePayload { Name = "animated.gif", MimeType = "image/gif", Buffer = gif },
            new FilePayload { Name = "broken.mp4", MimeType = "video/mp4", Buffer = brokenVideo },
        ]);
        await page.Locator("input[type=hidden][name='Evidence[4].Sha256']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.Locator(".evidence-hashes:not([aria-busy])").WaitForAsync();
        var items = await page.Locator("[data-evidence-list] > li").AllInnerTextsAsync();
        var fields = await page.EvaluateAsync<Dictionary<string, string>>(
            "() => Object.fromEntries([...document.querySelectorAll('[data-evidence-list] input[type=hidden]')].map(i => [i.name, i.value]))");
        var gifHash = fields.GetValueOrDefault("Evidence[3].Pdq");
        var firstFrameHash = await page.EvaluateAsync<string>(
            "async bytes => (await Pdq.fromBlob(new Blob([new Uint8Array(bytes)], { type: 'image/png' }))).hash", firstFrame.Select(b => (int)b).ToArray());

        // Assert
        items.Count.ShouldBe(6);
        items[0].ShouldBe("This file is empty: there is nothing to fingerprint.");
        const string unchanged = "so it will only be recognised unchanged";
        items[1].ShouldContain(unchanged);
        items[2].ShouldContain("too large to open here (over 50 megapixels)");
        items[3].ShouldContain(unchanged);
        items[4].ShouldContain("picture fingerprint (quality");
        items[5].ShouldContain(unchanged);
        fields["Evidence[4].Sha256"].ShouldBe(Sha(brokenVideo));
        fields.ShouldNotContainKey("Evidence[4].Frames");
        fields["Evidence[0].Sha256"].ShouldBe(Sha(corrupt));
        fields["Evidence[1].Sha256"].ShouldBe(Sha(bomb));
        fields["Evidence[2].Sha256"].ShouldBe(Sha(heic));
        fields["Evidence[3].Sha256"].ShouldBe(Sha(gif));
        fields.Keys.Where(k => k.EndsWith(".Pdq", StringComparison.Ordinal)).ShouldBe(["Evidence[3].Pdq"]);
        gifHash.ShouldBe(firstFrameHash, "an animated GIF is fingerprinted by its first frame");
    }

    [Fact]
    public async Task A_large_file_is_hashed_in_chunks_to_the_same_SHA_256()
    {
        // Arrange: 70 MB, above the size Web Crypto is given in one buffer; and the padding edge cases.
        const int size = 70 * 1024 * 1024 + 13;
        var bytes = new byte[size];
        for (var i = 0; i < size; i++) bytes[i] = (byte)((i * 31) ^ (i >> 11));
        var page = await portal.NewPageAsync("en-US");
        await page.GotoAsync("/report");

        // Act
        var streamed = await page.EvaluateAsync<string>(
            """
            async size => {
                const bytes = new Uint8Array(size);
                for (let i = 0; i < size; i++) bytes[i] = ((i * 31) ^ (i >> 11)) & 255;
                return await EvidenceFingerprints.sha256(new Blob([bytes]));
            }
            """, size);
        var small = await page.EvaluateAsync<string[]>(
            """
            () => [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000].map(n => {
                const sha = new EvidenceFingerprints.Sha256();
                sha.update(new Uint8Array(n).map((_, i) => (i * 7) & 255));
                return sha.hex();
            })
            """);

        // Assert
        streamed.ShouldBe(Sha(bytes));
        small.ShouldBe(new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 1000 }.Select(n => Sha(Enumerable.Range(0, n).Select(i => (byte)((i * 7) & 255)).ToArray())).ToArray());
    }

    /// <summary>A PNG that says it is width x height and holds one row of data: a decompression bomb's shape, cheaply.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        Chunk(png, "IHDR", [.. BigEndian(width), .. BigEndian(height), 8, 2, 0, 0, 0]);
        using var data = new MemoryStream();
        using (var z = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[1 + 3 * width]);
        Chunk(png, "IDAT", data.ToArray());
        return png.ToArray();

        static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

        static void Chunk(Stream stream, string type, byte[] body)
        {
            stream.Write(BigEndian(body.Length));
            var typed = Encoding.ASCII.GetBytes(type).Concat(body).ToArray();
            stream.Write(typed);
            stream.Write(BigEndian((int)Crc32(typed)));
        }

        static uint Crc32(byte[] data)
        {
            var crc = 0xffffffffu;
            foreach (var b in data)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xedb88320u ^ (crc >> 1) : crc >> 1;
            }
            return ~crc;
        }
    }

    /// <summary>A 4-frame animated GIF made by ffmpeg at test time, and its first frame as a PNG.</summary>
    private static (byte[] Gif, byte[] FirstFrame) AnimatedGif()
    {
        var folder = Directory.CreateTempSubdirectory("oss-gif-");
        try
        {
            var gif = Path.Combine(folder.FullName, "animated.gif");
            var png = Path.Combine(folder.FullName, "first.png");
            Ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=4", "-t", "1", "-y", gif);
            Ffmpeg("-i", gif, "-frames:v", "1", "-pix_fmt", "rgb24", "-y", png);
            return (File.ReadAllBytes(gif), File.ReadAllBytes(png));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void Ffmpeg(params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "error" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start (apt-get install -y ffmpeg).");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, errors);
    }
}
