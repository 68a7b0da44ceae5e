using SkiaSharp;

namespace OnSeoulSafe.SimulatedPlatforms;

/// <summary>How a board's copy differs from the original picture: the changes that defeat an exact file hash.</summary>
public enum CopyKind { Exact, Reencoded, Resized, Cropped, Recompressed, Png }

/// <summary>One generated picture and the bytes of each copy boards serve of it.</summary>
public sealed record DemoPicture(int Number, byte[] Original, IReadOnlyDictionary<CopyKind, byte[]> Copies);

/// <summary>
/// Harmless demo pictures drawn at start-up (gradients and shapes, the same for the same number), and their changed
/// copies: re-encoded, resized, cropped, recompressed and converted to PNG, as re-uploads change a picture.
/// </summary>
public static class DemoPictures
{
    private const int Width = 640;
    private const int Height = 480;

    public static DemoPicture Make(int number)
    {
        var original = Draw(number);
        var copies = new Dictionary<CopyKind, byte[]>
        {
            [CopyKind.Exact] = original,
            [CopyKind.Reencoded] = Transform(original, b => Encode(b, SKEncodedImageFormat.Jpeg, 85)),
            [CopyKind.Resized] = Transform(original, b =>
            {
                using var smaller = b.Resize(new SKImageInfo(Width * 3 / 4, Height * 3 / 4), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                return Encode(smaller, SKEncodedImageFormat.Jpeg, 88);
            }),
            [CopyKind.Cropped] = Transform(original, b =>
            {
                using var image = SKImage.FromBitmap(b);
                using var cropped = image.Subset(new SKRectI(Width / 20, Height / 20, Width - Width / 20, Height - Height / 20));
                using var data = cropped.Encode(SKEncodedImageFormat.Jpeg, 90);
                return data.ToArray();
            }),
            [CopyKind.Recompressed] = Transform(original, b => Encode(b, SKEncodedImageFormat.Jpeg, 35)),
            [CopyKind.Png] = Transform(original, b => Encode(b, SKEncodedImageFormat.Png, 100)),
        };
        return new DemoPicture(number, original, copies);
    }

    private static byte[] Draw(int number)
    {
        var random = new Random(7919 * (number + 1));
        SKColor Colour() => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        using (var gradient = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height), [Colour(), Colour(), Colour()], null, SKShaderTileMode.Clamp))
        using (var background = new SKPaint { Shader = gradient })
        {
            canvas.DrawRect(0, 0, Width, Height, background);
        }
        using var shape = new SKPaint { IsAntialias = true };
        for (var i = 0; i < 12; i++)
        {
            shape.Color = Colour().WithAlpha((byte)random.Next(120, 255));
            var x = random.Next(Width);
            var y = random.Next(Height);
            var size = random.Next(20, 160);
            if (i % 3 == 0) canvas.DrawCircle(x, y, size / 2f, shape);
            else if (i % 3 == 1) canvas.DrawRect(x, y, size, size * 0.6f, shape);
            else canvas.DrawOval(x, y, size * 0.8f, size / 3f, shape);
        }
        return Encode(bitmap, SKEncodedImageFormat.Jpeg, 92);
    }

    private static byte[] Transform(byte[] jpeg, Func<SKBitmap, byte[]> change)
    {
        using var bitmap = SKBitmap.Decode(jpeg) ?? throw new InvalidOperationException("A generated picture could not be decoded.");
        return change(bitmap);
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
