using System.Runtime.Intrinsics;

namespace OnSeoulSafe.Hashing;

/// <summary>A PDQ hash and its quality (0..100; below <see cref="Pdq.MinQuality"/> it is too unreliable to match on).</summary>
public readonly record struct PdqResult(PdqHash Hash, int Quality)
{
    public bool IsReliable => Quality >= Pdq.MinQuality;
}

/// <summary>The eight dihedral hashes of one picture (rotations and flips), named as the reference names them.</summary>
public sealed record PdqDihedrals(
    PdqHash Original, PdqHash Rotate90, PdqHash Rotate180, PdqHash Rotate270,
    PdqHash FlipX, PdqHash FlipY, PdqHash FlipPlus1, PdqHash FlipMinus1, int Quality)
{
    public static readonly IReadOnlyList<string> Names =
        ["original", "rotate90", "rotate180", "rotate270", "flipx", "flipy", "flipplus1", "flipminus1"];

    /// <summary>In the order of <see cref="Names"/>: what an index is queried with so a rotated or mirrored copy is found.</summary>
    public PdqHash[] ToArray() => [Original, Rotate90, Rotate180, Rotate270, FlipX, FlipY, FlipPlus1, FlipMinus1];
}

/// <summary>
/// Meta's PDQ perceptual hash, written from the published algorithm and checked bit for bit against the reference's
/// vectors: luma, a two-pass Jarosz (box) filter, decimation to 64x64, a quality score from the gradients, a 16x16 DCT,
/// and one bit per coefficient above the median. Single-precision arithmetic in the reference's order throughout.
/// </summary>
public static class Pdq
{
    /// <summary>Two hashes this close or closer are the same picture (StopNCII, Take It Down and the reference use 31).</summary>
    public const int MatchDistance = 31;

    /// <summary>Hashes of lower quality are discarded (the reference recommends dropping quality 49 and below).</summary>
    public const int MinQuality = 50;

    /// <summary>Pictures narrower or lower than this hash to all zeros with quality 0.</summary>
    public const int MinDimension = 5;

    private const int JaroszPasses = 2;

    private static readonly float LumaR = (float)0.299;
    private static readonly float LumaG = (float)0.587;
    private static readonly float LumaB = (float)0.114;

    /// <summary>D[i][k] = sqrt(2/64)·cos(π/128·(i+1)·(2k+1)), i = 0..15, k = 0..63; rounded to float as the reference does.</summary>
    private static readonly float[] DctMatrix = BuildDctMatrix();

    private static float[] BuildDctMatrix()
    {
        var matrix = new float[16 * 64];
        var scale = (float)Math.Sqrt(2.0 / 64);
        for (var i = 0; i < 16; i++)
        {
            for (var k = 0; k < 64; k++)
            {
                matrix[i * 64 + k] = (float)(scale * Math.Cos(Math.PI / 2 / 64 * (i + 1) * (2 * k + 1)));
            }
        }
        return matrix;
    }

    /// <summary>Hashes interleaved 8-bit pixels (3 or 4 channels, R first; a fourth channel is ignored).</summary>
    public static PdqResult FromRgb(ReadOnlySpan<byte> pixels, int width, int height, int channels) =>
        Hash(LumaFromRgb(pixels, width, height, channels), height, width, dihedrals: false).Result;

    /// <summary>Hashes 8-bit grey values as they are (no RGB weighting).</summary>
    public static PdqResult FromGrey(ReadOnlySpan<byte> pixels, int width, int height) =>
        Hash(LumaFromGrey(pixels, width, height), height, width, dihedrals: false).Result;

    /// <summary>
    /// Hashes a luma buffer of <paramref name="height"/> rows of <paramref name="width"/> values. The buffer is used as
    /// scratch space and holds filtered values afterwards.
    /// </summary>
    public static PdqResult FromLuma(float[] luma, int width, int height) =>
        Hash(luma, height, width, dihedrals: false).Result;

    public static PdqDihedrals DihedralsFromRgb(ReadOnlySpan<byte> pixels, int width, int height, int channels) =>
        Hash(LumaFromRgb(pixels, width, height, channels), height, width, dihedrals: true).Dihedrals!;

    public static PdqDihedrals DihedralsFromGrey(ReadOnlySpan<byte> pixels, int width, int height) =>
        Hash(LumaFromGrey(pixels, width, height), height, width, dihedrals: true).Dihedrals!;

    public static PdqDihedrals DihedralsFromLuma(float[] luma, int width, int height) =>
        Hash(luma, height, width, dihedrals: true).Dihedrals!;

    internal static float[] LumaFromRgb(ReadOnlySpan<byte> pixels, int width, int height, int channels, bool reuse = false)
    {
        if (channels is not (3 or 4)) throw new ArgumentOutOfRangeException(nameof(channels), "Pixels have 3 or 4 channels.");
        var count = CheckedCount(width, height);
        if (pixels.Length < count * channels) throw new ArgumentException("Fewer pixels than width x height.", nameof(pixels));
        var luma = reuse ? Reused(ref t_luma, count) : GC.AllocateUninitializedArray<float>(count);
        ref var pixel = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(pixels);
        ref var y = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(luma);
        nint start = 0;
        if (channels == 4 && Vector256.IsHardwareAccelerated)
        {
            // Eight RGBA pixels at a time, each lane the scalar sum below in the same order (no fused multiply-add),
            // so the luma is the same bit for bit.
            var r = Vector256.Create(LumaR);
            var g = Vector256.Create(LumaG);
            var b = Vector256.Create(LumaB);
            var low = Vector256.Create(0xFFu);
            for (; start + 8 <= count; start += 8)
            {
                var rgba = Vector256.LoadUnsafe(ref System.Runtime.CompilerServices.Unsafe.As<byte, uint>(
                    ref System.Runtime.CompilerServices.Unsafe.Add(ref pixel, start * 4)));
                var red = Vector256.ConvertToSingle((rgba & low).AsInt32());
                var green = Vector256.ConvertToSingle(((rgba >> 8) & low).AsInt32());
                var blue = Vector256.ConvertToSingle(((rgba >> 16) & low).AsInt32());
                (r * red + g * green + b * blue).StoreUnsafe(ref y, (nuint)start);
            }
        }
        for (nint i = start, p = start * channels; i < count; i++, p += channels)
        {
            System.Runtime.CompilerServices.Unsafe.Add(ref y, i) = LumaR * System.Runtime.CompilerServices.Unsafe.Add(ref pixel, p)
                + LumaG * System.Runtime.CompilerServices.Unsafe.Add(ref pixel, p + 1)
                + LumaB * System.Runtime.CompilerServices.Unsafe.Add(ref pixel, p + 2);
        }
        return luma;
    }

    internal static float[] LumaFromGrey(ReadOnlySpan<byte> pixels, int width, int height, bool reuse = false)
    {
        var count = CheckedCount(width, height);
        if (pixels.Length < count) throw new ArgumentException("Fewer pixels than width x height.", nameof(pixels));
        var luma = reuse ? Reused(ref t_luma, count) : GC.AllocateUninitializedArray<float>(count);
        var i = 0;
        for (; i + 8 <= count; i += 8)
        {
            var (low, _) = Vector128.Widen(Vector128.CreateScalar(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(pixels[i..])).AsByte());
            var (first, second) = Vector128.Widen(low);
            Vector256.ConvertToSingle(Vector256.Create(first, second).AsInt32()).CopyTo(luma, i);
        }
        for (; i < count; i++)
        {
            luma[i] = pixels[i];
        }
        return luma;
    }

    private static int CheckedCount(int width, int height)
    {
        if (width < 0 || height < 0) throw new ArgumentOutOfRangeException(nameof(width), "Dimensions cannot be negative.");
        return checked(width * height);
    }

    private readonly record struct Hashed(PdqResult Result, PdqDihedrals? Dihedrals);

    private static Hashed Hash(float[] luma, int rows, int cols, bool dihedrals)
    {
        if ((long)rows * cols > luma.Length) throw new ArgumentException("The luma buffer is smaller than width x height.", nameof(luma));
        if (rows < MinDimension || cols < MinDimension)
        {
            var zero = new PdqResult(PdqHash.Zero, 0);
            return new Hashed(zero, dihedrals ? new PdqDihedrals(default, default, default, default, default, default, default, default, 0) : null);
        }

        var buffer64 = new float[64 * 64];
        if (rows == 64 && cols == 64)
        {
            Array.Copy(luma, buffer64, 64 * 64);
        }
        else
        {
            var scratch = Scratch(rows * cols);
            JaroszFilter.ApplyAndDecimate(luma, scratch, rows, cols, WindowSize(cols), WindowSize(rows), JaroszPasses, buffer64);
        }

        var quality = Quality(buffer64);
        var dct = new float[16 * 16];
        Dct64To16(buffer64, dct);
        var original = new PdqResult(BitsAboveMedian(dct), quality);
        if (!dihedrals) return new Hashed(original, null);

        var aux = new float[16 * 16];
        PdqHash Transformed(Func<int, int, bool> negate, bool transpose)
        {
            for (var i = 0; i < 16; i++)
            {
                for (var j = 0; j < 16; j++)
                {
                    var value = negate(i, j) ? -dct[i * 16 + j] : dct[i * 16 + j];
                    aux[transpose ? j * 16 + i : i * 16 + j] = value;
                }
            }
            return BitsAboveMedian(aux);
        }

        // Coefficient (i, j) is frequency (i+1, j+1) down and across: mirroring along an axis negates the terms of odd
        // frequency along it (even i or j), a quarter turn also swaps the axes. No pixels are rotated, as in the reference.
        return new Hashed(original, new PdqDihedrals(
            original.Hash,
            Transformed((_, j) => (j & 1) == 0, transpose: true),
            Transformed((i, j) => ((i + j) & 1) != 0, transpose: false),
            Transformed((i, _) => (i & 1) == 0, transpose: true),
            Transformed((i, _) => (i & 1) == 0, transpose: false),
            Transformed((_, j) => (j & 1) == 0, transpose: false),
            Transformed((_, _) => false, transpose: true),
            Transformed((i, j) => ((i + j) & 1) != 0, transpose: true),
            quality));
    }

    /// <summary>Pictures up to this many pixels reuse one scratch buffer per thread (16 MB) instead of a new one each time.</summary>
    private const int ReusedScratchPixels = 4_000_000;

    [ThreadStatic]
    private static float[]? t_scratch;

    [ThreadStatic]
    private static float[]? t_luma;

    private static float[] Scratch(int length) => Reused(ref t_scratch, length);

    /// <summary>A per-thread buffer of at least <paramref name="length"/> (fresh beyond <see cref="ReusedScratchPixels"/>).</summary>
    private static float[] Reused(ref float[]? kept, int length)
    {
        if (length > ReusedScratchPixels) return GC.AllocateUninitializedArray<float>(length);
        if (kept is null || kept.Length < length) kept = GC.AllocateUninitializedArray<float>(Math.Max(length, 1 << 20));
        return kept;
    }

    /// <summary>The Jarosz window for one axis: (old + 2·64 − 1) / (2·64) in integers.</summary>
    internal static int WindowSize(int dimension) => (dimension + 127) / 128;

    private static int Quality(float[] buffer64)
    {
        var gradientSum = 0;
        for (var i = 0; i < 63; i++)
        {
            for (var j = 0; j < 64; j++)
            {
                var u = buffer64[i * 64 + j];
                var v = buffer64[(i + 1) * 64 + j];
                gradientSum += Math.Abs((int)((u - v) * 100 / 255));
            }
        }
        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 63; j++)
            {
                var u = buffer64[i * 64 + j];
                var v = buffer64[i * 64 + j + 1];
                gradientSum += Math.Abs((int)((u - v) * 100 / 255));
            }
        }
        return Math.Min(100, gradientSum / 90);
    }

    /// <summary>B = D·A·Dᵀ as T = D·A, then B[i][j] = Σk T[i][k]·D[j][k]; every sum runs in k order, in float.</summary>
    private static void Dct64To16(float[] a, float[] b)
    {
        var d = DctMatrix;
        var t = new float[16 * 64];
        for (var i = 0; i < 16; i++)
        {
            // Eight columns at a time: each lane is its own sum in k order, so vectors give the scalar result.
            for (var j = 0; j < 64; j += 8)
            {
                var sum = Vector256<float>.Zero;
                for (var k = 0; k < 64; k++)
                {
                    sum += Vector256.Create(d[i * 64 + k]) * Vector256.Create(a, k * 64 + j);
                }
                sum.CopyTo(t, i * 64 + j);
            }
        }
        for (var i = 0; i < 16; i++)
        {
            for (var j = 0; j < 16; j++)
            {
                var sum = 0f;
                for (var k = 0; k < 64; k++)
                {
                    sum += t[i * 64 + k] * d[j * 64 + k];
                }
                b[i * 16 + j] = sum;
            }
        }
    }

    /// <summary>Bit 16·i + j is set when coefficient (i, j) is above the lower median (the 128th smallest of 256).</summary>
    private static PdqHash BitsAboveMedian(float[] dct)
    {
        Span<float> sorted = stackalloc float[256];
        dct.AsSpan(0, 256).CopyTo(sorted);
        sorted.Sort();
        var median = sorted[127];
        Span<ulong> words = stackalloc ulong[4];
        for (var k = 0; k < 256; k++)
        {
            if (dct[k] > median) words[k >> 6] |= 1UL << (k & 63);
        }
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }
}
