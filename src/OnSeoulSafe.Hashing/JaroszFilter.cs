using System.Runtime.Intrinsics;

namespace OnSeoulSafe.Hashing;

/// <summary>
/// The reference's Jarosz filter: a running-sum box filter along rows, then along columns, repeated. Each output is
/// the running float sum (add the sample entering on the right, then subtract the one leaving on the left) divided
/// by the number of samples in the clipped window. Vectors only ever put independent sums side by side (one lane per
/// column, or per row of an eight-row block), so every lane performs the scalar reference's operations in its order.
/// </summary>
internal static class JaroszFilter
{
    /// <summary>
    /// Filters <paramref name="buffer1"/> (using <paramref name="buffer2"/> as scratch) and decimates the result to 64x64
    /// into <paramref name="buffer64"/>: out[i][j] = filtered[⌊(i+0.5)·rows/64⌋][⌊(j+0.5)·cols/64⌋]. The last pass
    /// divides out only the columns, then the rows, that decimation reads.
    /// </summary>
    public static void ApplyAndDecimate(float[] buffer1, float[] buffer2, int rows, int cols, int windowAlongRows, int windowAlongCols, int passes,
        float[] buffer64)
    {
        var block = new float[cols * 8];
        var blockOut = new float[cols * 8];
        var sums = new float[Math.Max(cols, 8)];
        for (var pass = 0; pass < passes - 1; pass++)
        {
            AlongRows(buffer1, buffer2, rows, cols, windowAlongRows, block, blockOut, null, 0);
            Down(buffer2, 0, buffer1, 0, rows, cols, windowAlongCols, sums);
        }

        var (keepCols, columnOf) = Kept(cols);
        var (keepRows, rowOf) = Kept(rows);
        var width = columnOf.Max() + 1;
        var height = rowOf.Max() + 1;
        var narrow = new float[rows * width];
        AlongRows(buffer1, narrow, rows, cols, windowAlongRows, block, blockOut, keepCols, width);
        var picked = new float[height * width];
        Down(narrow, 0, picked, 0, rows, width, windowAlongCols, sums, keepRows);
        for (var i = 0; i < 64; i++)
        {
            for (var j = 0; j < 64; j++)
            {
                buffer64[i * 64 + j] = picked[rowOf[i] * width + columnOf[j]];
            }
        }
    }

    /// <summary>
    /// For one axis: keep[p] = the place of sample p among the distinct samples decimation reads (−1 if unread), and for
    /// each of the 64 outputs the place of the sample it reads.
    /// </summary>
    private static (int[] Keep, int[] PlaceOf) Kept(int length)
    {
        var keep = new int[length];
        Array.Fill(keep, -1);
        var placeOf = new int[64];
        var places = 0;
        for (var i = 0; i < 64; i++)
        {
            var sample = (int)((i + 0.5) * length / 64);
            if (keep[sample] < 0) keep[sample] = places++;
            placeOf[i] = keep[sample];
        }
        return (keep, placeOf);
    }

    /// <summary>
    /// Each row filtered along its columns: eight rows at a time, transposed into a block where each row is one lane.
    /// With <paramref name="keep"/>, output holds <paramref name="width"/> values a row: column p at keep[p].
    /// </summary>
    private static unsafe void AlongRows(float[] input, float[] output, int rows, int cols, int window, float[] block, float[] blockOut,
        int[]? keep, int width)
    {
        var outputCols = keep is null ? cols : width;
        var row = 0;
        fixed (float* inputs = input, outputs = output, blockIn = block, blockResult = blockOut)
        {
            for (; row + 8 <= rows; row += 8)
            {
                var source = inputs + (long)row * cols;
                for (var c = 0; c < cols; c++)
                {
                    var b = blockIn + c * 8;
                    var s = source + c;
                    b[0] = s[0];
                    b[1] = s[cols];
                    b[2] = s[2 * cols];
                    b[3] = s[3 * cols];
                    b[4] = s[4 * cols];
                    b[5] = s[5 * cols];
                    b[6] = s[6 * cols];
                    b[7] = s[7 * cols];
                }
                Down8(blockIn, blockResult, cols, window, keep);
                var target = outputs + (long)row * outputCols;
                for (var c = 0; c < outputCols; c++)
                {
                    var b = blockResult + c * 8;
                    var t = target + c;
                    t[0] = b[0];
                    t[outputCols] = b[1];
                    t[2 * outputCols] = b[2];
                    t[3 * outputCols] = b[3];
                    t[4 * outputCols] = b[4];
                    t[5 * outputCols] = b[5];
                    t[6 * outputCols] = b[6];
                    t[7 * outputCols] = b[7];
                }
            }
        }
        var line = keep is null ? null : new float[cols];
        for (; row < rows; row++)
        {
            if (keep is null)
            {
                Box1D(input.AsSpan(row * cols, cols), output.AsSpan(row * cols, cols), window);
                continue;
            }
            Box1D(input.AsSpan(row * cols, cols), line, window);
            for (var c = 0; c < cols; c++)
            {
                if (keep[c] >= 0) output[row * width + keep[c]] = line![c];
            }
        }
    }

    /// <summary>The box filter along a block of eight interleaved rows (one per lane), <paramref name="length"/> samples long.</summary>
    private static unsafe void Down8(float* input, float* output, int length, int window, int[]? keep)
    {
        var half = (window + 2) / 2;
        var phase1 = half - 1;
        var phase2 = window - half + 1;
        var phase3 = length - window;
        var phase4 = half - 1;
        var sum = Vector256<float>.Zero;
        int ri = 0, li = 0, oi = 0, count = 0;
        for (var n = 0; n < phase1; n++, ri++)
        {
            sum += Vector256.Load(input + ri * 8);
            count++;
        }
        for (var n = 0; n < phase2; n++, ri++, oi++)
        {
            sum += Vector256.Load(input + ri * 8);
            count++;
            Store8(sum, count, output, oi, keep);
        }
        var full = Vector256.Create((float)count);
        for (var n = 0; n < phase3; n++, ri++, li++, oi++)
        {
            sum += Vector256.Load(input + ri * 8);
            sum -= Vector256.Load(input + li * 8);
            var target = keep is null ? oi : keep[oi];
            if (target >= 0) (sum / full).Store(output + target * 8);
        }
        for (var n = 0; n < phase4; n++, li++, oi++)
        {
            sum -= Vector256.Load(input + li * 8);
            count--;
            Store8(sum, count, output, oi, keep);
        }
    }

    private static unsafe void Store8(Vector256<float> sum, int count, float* output, int index, int[]? keep)
    {
        var target = keep is null ? index : keep[index];
        if (target >= 0) (sum / Vector256.Create((float)count)).Store(output + target * 8);
    }

    /// <summary>
    /// The box filter down each of <paramref name="cols"/> adjacent columns of a row-major block of <paramref name="rows"/>
    /// rows: one running sum per column, streamed row by row.
    /// </summary>
    private static void Down(float[] input, int inputStart, float[] output, int outputStart, int rows, int cols, int window, float[] sums,
        int[]? keep = null)
    {
        var half = (window + 2) / 2;
        var phase1 = half - 1;
        var phase2 = window - half + 1;
        var phase3 = rows - window;
        var phase4 = half - 1;
        var s = sums.AsSpan(0, cols);
        s.Clear();
        int ri = 0, li = 0, oi = 0, count = 0;
        for (var n = 0; n < phase1; n++, ri++)
        {
            Add(s, input.AsSpan(inputStart + ri * cols, cols));
            count++;
        }
        // With keep, only the rows the decimation reads are divided out, into row keep[oi] of the output; the
        // running sums still take every row, so the kept values are the ones the full filter gives.
        for (var n = 0; n < phase2; n++, ri++, oi++)
        {
            Add(s, input.AsSpan(inputStart + ri * cols, cols));
            count++;
            Write(s, count, output, outputStart, oi, cols, keep);
        }
        for (var n = 0; n < phase3; n++, ri++, li++, oi++)
        {
            var target = keep is null ? oi : keep[oi];
            if (target < 0)
            {
                Slide(s, input.AsSpan(inputStart + ri * cols, cols), input.AsSpan(inputStart + li * cols, cols));
            }
            else
            {
                Slide(s, input.AsSpan(inputStart + ri * cols, cols), input.AsSpan(inputStart + li * cols, cols), count,
                    output.AsSpan(outputStart + target * cols, cols));
            }
        }
        for (var n = 0; n < phase4; n++, li++, oi++)
        {
            Subtract(s, input.AsSpan(inputStart + li * cols, cols));
            count--;
            Write(s, count, output, outputStart, oi, cols, keep);
        }
    }

    private static void Write(ReadOnlySpan<float> sums, int count, float[] output, int outputStart, int row, int cols, int[]? keep)
    {
        var target = keep is null ? row : keep[row];
        if (target >= 0) Divide(sums, count, output.AsSpan(outputStart + target * cols, cols));
    }

    private static void Add(Span<float> sums, ReadOnlySpan<float> values)
    {
        var i = 0;
        for (; i + 8 <= sums.Length; i += 8)
        {
            (Vector256.Create<float>(sums[i..]) + Vector256.Create(values[i..])).CopyTo(sums[i..]);
        }
        for (; i < sums.Length; i++) sums[i] += values[i];
    }

    /// <summary>sums = (sums + entering) − leaving, per column in that order, in one pass.</summary>
    private static void Slide(Span<float> sums, ReadOnlySpan<float> entering, ReadOnlySpan<float> leaving)
    {
        var i = 0;
        for (; i + 8 <= sums.Length; i += 8)
        {
            (Vector256.Create<float>(sums[i..]) + Vector256.Create(entering[i..]) - Vector256.Create(leaving[i..])).CopyTo(sums[i..]);
        }
        for (; i < sums.Length; i++) sums[i] = sums[i] + entering[i] - leaving[i];
    }

    /// <summary>As above, and the sums divided by <paramref name="count"/> into <paramref name="output"/> in the same pass.</summary>
    private static void Slide(Span<float> sums, ReadOnlySpan<float> entering, ReadOnlySpan<float> leaving, int count, Span<float> output)
    {
        var divisor = (float)count;
        var vector = Vector256.Create(divisor);
        var i = 0;
        for (; i + 8 <= sums.Length; i += 8)
        {
            var sum = Vector256.Create<float>(sums[i..]) + Vector256.Create(entering[i..]) - Vector256.Create(leaving[i..]);
            sum.CopyTo(sums[i..]);
            (sum / vector).CopyTo(output[i..]);
        }
        for (; i < sums.Length; i++)
        {
            sums[i] = sums[i] + entering[i] - leaving[i];
            output[i] = sums[i] / divisor;
        }
    }

    private static void Subtract(Span<float> sums, ReadOnlySpan<float> values)
    {
        var i = 0;
        for (; i + 8 <= sums.Length; i += 8)
        {
            (Vector256.Create<float>(sums[i..]) - Vector256.Create(values[i..])).CopyTo(sums[i..]);
        }
        for (; i < sums.Length; i++) sums[i] -= values[i];
    }

    private static void Divide(ReadOnlySpan<float> sums, int count, Span<float> output)
    {
        var divisor = (float)count;
        var vector = Vector256.Create(divisor);
        var i = 0;
        for (; i + 8 <= sums.Length; i += 8)
        {
            (Vector256.Create(sums[i..]) / vector).CopyTo(output[i..]);
        }
        for (; i < sums.Length; i++) output[i] = sums[i] / divisor;
    }

    /// <summary>The reference's one-dimensional box filter, scalar, on contiguous samples.</summary>
    internal static void Box1D(ReadOnlySpan<float> input, Span<float> output, int window)
    {
        var half = (window + 2) / 2;
        var phase1 = half - 1;
        var phase2 = window - half + 1;
        var phase3 = input.Length - window;
        var phase4 = half - 1;
        int ri = 0, li = 0, oi = 0, count = 0;
        var sum = 0f;
        for (var n = 0; n < phase1; n++)
        {
            sum += input[ri++];
            count++;
        }
        for (var n = 0; n < phase2; n++)
        {
            sum += input[ri++];
            count++;
            output[oi++] = sum / count;
        }
        for (var n = 0; n < phase3; n++)
        {
            sum += input[ri++];
            sum -= input[li++];
            output[oi++] = sum / count;
        }
        for (var n = 0; n < phase4; n++)
        {
            sum -= input[li++];
            count--;
            output[oi++] = sum / count;
        }
    }
}
