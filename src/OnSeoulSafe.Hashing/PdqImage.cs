using SkiaSharp;

namespace OnSeoulSafe.Hashing;

/// <summary>What hashing one picture gave: the PDQ hash and quality, the dihedral hashes when asked for, and its size.</summary>
public sealed record PdqImageHash(PdqResult Pdq, PdqDihedrals? Dihedrals, int Width, int Height, string Format, int FrameCount)
{
    public PdqHash Hash => Pdq.Hash;
    public int Quality => Pdq.Quality;
}

/// <summary>Bounds on what a picture may cost to hash.</summary>
public sealed record ImageLimits
{
    public static readonly ImageLimits Default = new();

    /// <summary>Width x height above this is refused from the header, before any pixel memory is taken (50 megapixels).</summary>
    public long MaxPixels { get; init; } = 50_000_000;
}

/// <summary>
/// Decodes a picture with Skia and hashes it as the reference does: 8-bit RGBA unpremultiplied, alpha dropped without
/// compositing, no EXIF orientation, no colour profile; a greyscale picture as its grey values. An animated GIF or WebP
/// is hashed by its first frame. Memory is bounded: the header is read first and a picture over
/// <see cref="ImageLimits.MaxPixels"/> is refused; a 50-megapixel picture needs at most about 400 MB while hashing.
/// </summary>
public static class PdqImage
{
    public static PdqImageHash Hash(byte[] bytes, bool dihedrals = false, ImageLimits? limits = null)
    {
        if (bytes.Length == 0) throw Empty();
        using var stream = new MemoryStream(bytes, writable: false);
        return Hash(stream, dihedrals, limits ?? ImageLimits.Default);
    }

    public static PdqImageHash HashFile(string path, bool dihedrals = false, ImageLimits? limits = null)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length == 0) throw Empty();
        return Hash(stream, dihedrals, limits ?? ImageLimits.Default);
    }

    /// <summary>Hashes a picture read from <paramref name="stream"/> (a seekable stream is read only as far as needed).</summary>
    public static PdqImageHash Hash(Stream stream, bool dihedrals = false, ImageLimits? limits = null)
    {
        limits ??= ImageLimits.Default;
        if (stream.CanSeek && stream.Length - stream.Position == 0) throw Empty();
        var start = stream.CanSeek ? stream.Position : 0;
        using var codec = SKCodec.Create(stream, out var opened);
        if (codec is null)
        {
            // A picture's signature with a header Skia cannot read is damaged; anything else may be a video.
            var signed = false;
            if (stream.CanSeek)
            {
                var head = new byte[16];
                stream.Position = start;
                signed = IsPictureSignature(head.AsSpan(0, stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)));
            }
            throw signed
                ? new HashingException(HashingFailure.Corrupt, $"The picture's header is damaged ({opened}).")
                : new HashingException(HashingFailure.UnknownFormat, "The file is not a picture format that can be read.");
        }

        var info = codec.Info;
        var format = codec.EncodedFormat.ToString();
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new HashingException(HashingFailure.Corrupt, $"The {format} picture declares no pixels.");
        }
        if ((long)info.Width * info.Height > limits.MaxPixels)
        {
            throw new HashingException(HashingFailure.TooLarge,
                $"The {format} picture is {info.Width} x {info.Height} pixels, over the limit of {limits.MaxPixels:N0}.");
        }

        var grey = info.ColorType == SKColorType.Gray8;
        var target = new SKImageInfo(info.Width, info.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888,
            grey ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var channels = grey ? 1 : 4;
        var pixels = GC.AllocateUninitializedArray<byte>(checked(info.Width * info.Height * channels));
        SKCodecResult decoded;
        unsafe
        {
            fixed (byte* address = pixels)
            {
                decoded = codec.GetPixels(target, (IntPtr)address, target.RowBytes, new SKCodecOptions(0));
            }
        }
        if (decoded != SKCodecResult.Success)
        {
            throw new HashingException(HashingFailure.Corrupt, $"The {format} picture could not be decoded ({decoded}).");
        }

        var luma = grey
            ? Pdq.LumaFromGrey(pixels, info.Width, info.Height, reuse: true)
            : Pdq.LumaFromRgb(pixels, info.Width, info.Height, 4, reuse: true);
        var frames = Math.Max(1, codec.FrameCount);
        if (dihedrals)
        {
            var all = Pdq.DihedralsFromLuma(luma, info.Width, info.Height);
            return new PdqImageHash(new PdqResult(all.Original, all.Quality), all, info.Width, info.Height, format, frames);
        }
        return new PdqImageHash(Pdq.FromLuma(luma, info.Width, info.Height), null, info.Width, info.Height, format, frames);
    }

    private static bool IsPictureSignature(ReadOnlySpan<byte> head) =>
        head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])
        || head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47])
        || head.StartsWith("GIF8"u8)
        || head.StartsWith("BM"u8)
        || (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8));

    private static HashingException Empty() => new(HashingFailure.Empty, "The file is empty.");
}
