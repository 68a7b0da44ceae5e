using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;

namespace OnSeoulSafe.Hashing.Tests;

/// <summary>Files that are empty, damaged, hostile or unusual: a typed refusal or a documented hash, never a crash or an unbounded allocation.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void EmptyFile_RefusedAsEmpty()
    {
        Should.Throw<HashingException>(() => PdqImage.Hash([])).Reason.ShouldBe(HashingFailure.Empty);
    }

    [Fact]
    public void TruncatedJpeg_RefusedAsCorrupt()
    {
        var jpeg = File.ReadAllBytes(Vectors.PathOf("images/labelme-subset__q0122.jpg"));

        Should.Throw<HashingException>(() => PdqImage.Hash(jpeg[..3000])).Reason.ShouldBe(HashingFailure.Corrupt);
    }

    [Fact]
    public void JpegMarkerFollowedByGarbage_Refused()
    {
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;

        Should.Throw<HashingException>(() => PdqImage.Hash(bytes)).Reason.ShouldBeOneOf(HashingFailure.Corrupt, HashingFailure.UnknownFormat);
    }

    [Fact]
    public void TextFile_NotAPicture()
    {
        Should.Throw<HashingException>(() => PdqImage.Hash("not a picture"u8.ToArray())).Reason.ShouldBe(HashingFailure.UnknownFormat);
    }

    [Fact]
    public void PngDeclaring30000By30000_RefusedFromTheHeaderWithoutTakingPixelMemory()
    {
        var bomb = Png(30_000, 30_000, rows: 4);
        bomb.Length.ShouldBeLessThan(2_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var refused = Should.Throw<HashingException>(() => PdqImage.Hash(bomb));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        refused.Reason.ShouldBe(HashingFailure.TooLarge);
        refused.Message.ShouldContain("30000 x 30000");
        allocated.ShouldBeLessThan(1_000_000);
    }

    [Fact]
    public void PixelLimit_IsTheCaller()
    {
        var png = Png(100, 100, rows: 100);

        PdqImage.Hash(png).Width.ShouldBe(100);
        Should.Throw<HashingException>(() => PdqImage.Hash(png, limits: new ImageLimits { MaxPixels = 9_999 })).Reason.ShouldBe(HashingFailure.TooLarge);
    }

    [Fact]
    public async Task AnimatedGif_HashedByItsFirstFrame()
    {
        var dir = Directory.CreateTempSubdirectory("pdq-gif");
        try
        {
            var gif = Path.Combine(dir.FullName, "moving.gif");
            var first = Path.Combine(dir.FullName, "first.png");
            await FfmpegAsync("-f", "lavfi", "-i", "testsrc=size=96x64:rate=4", "-t", "2", gif);
            await FfmpegAsync("-i", gif, "-frames:v", "1", first);

            var animated = PdqImage.HashFile(gif);

            animated.FrameCount.ShouldBeGreaterThan(1);
            animated.Hash.ShouldBe(PdqImage.HashFile(first).Hash);
            animated.Quality.ShouldBeGreaterThan(0);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void CmykJpeg_HashedFromTheRgbSkiaGives()
    {
        // Skia converts Adobe CMYK to RGB; the picture is flat grey, so its quality is 0 (too unreliable to match on).
        var hashed = PdqImage.Hash(CmykJpeg());

        hashed.Format.ShouldBe("Jpeg");
        (hashed.Width, hashed.Height).ShouldBe((8, 8));
        hashed.Quality.ShouldBe(0);
        hashed.Pdq.IsReliable.ShouldBeFalse();
    }

    [Fact]
    public async Task FileHasher_EmptyFile_Sha256AndTheReason()
    {
        var path = Path.GetTempFileName();
        try
        {
            var hashes = await FileHasher.HashAsync(path);

            hashes.Sha256.ShouldBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
            hashes.Failure!.Reason.ShouldBe(HashingFailure.Empty);
            hashes.Image.ShouldBeNull();
            hashes.Video.ShouldBeNull();
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A grey PNG whose header declares width x height but whose data holds only <paramref name="rows"/> rows.</summary>
    internal static byte[] Png(int width, int height, int rows)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];
            for (var r = 0; r < rows; r++)
            {
                for (var i = 1; i < row.Length; i++) row[i] = (byte)((i * 7 + r * 13) & 0xFF);
                zlib.Write(row);
            }
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), bit by bit: a few chunks only.</summary>
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// An 8x8 baseline JPEG with four components and Adobe's marker (CMYK as Photoshop writes it): every block holds only
    /// a zero DC difference, coded with one-symbol Huffman tables, so the whole scan is one byte.
    /// </summary>
    private static byte[] CmykJpeg()
    {
        var jpeg = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, params byte[] body)
        {
            jpeg.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            jpeg.AddRange(body);
        }
        Segment(0xEE, [(byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0, 100, 0, 0, 0, 0, 0]);
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        Segment(0xC0, [8, 0, 8, 0, 8, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0]);
        Segment(0xC4, [0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        Segment(0xC4, [0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00]);
        Segment(0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);
        jpeg.AddRange([0x00, 0xFF, 0xD9]);
        return [.. jpeg];
    }

    internal static async Task FfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-nostdin", "-v", "error", "-y" }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, error);
    }
}
