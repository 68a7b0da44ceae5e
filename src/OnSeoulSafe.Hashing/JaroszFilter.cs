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
    /// <summary>Filters <paramref name="buffer1"/> in place (using <paramref name="buffer2"/> as scratch).</summary>
    public static void Apply(float[] buffer1, float[] buffer2, int rows, int cols, int windowAlongRows, int windowAlongCols, int passes)
    {
        var block = new float[cols * 8];
        var blockOut = new float[cols * 8];
        var sums = new float[Math.Max(cols, 8)];
        for (var pass = 0; pass < passes; pass++)
        {
            AlongRows(buffer1, buffer2, rows, cols, windowAlongRows, block, blockOut, sums);
            Down(buffer2, 0, buffer1, 0, rows, cols, windowAlongCols, sums);
        }
    }

    /// <summary>Each row filtered along its columns: eight rows at a time, transposed so each row is one lane.</summary>
    private static void AlongRows(float[] input, float[] output, int rows, int cols, int window, float[] block, float[] blockOut, float[] sums)
    {
        var row = 0;
        for (; row + 8 <= rows; row += 8)
        {
            for (var r = 0; r < 8; r++)
            {
                var source = (row + r) * cols;
                for (var c = 0; c < cols; c++)
                {
                    block[c * 8 + r] = input[source + c];
                }
            }
            Down(block, 0, blockOut, 0, cols, 8, window, sums);
            for (var r = 0; r < 8; r++)
            {
                var target = (row + r) * cols;
                for (var c = 0; c < cols; c++)
                {
                    output[target + c] = blockOut[c * 8 + r];
                }
            }
        }
        for (; row < rows; row++)
        {
            Box1D(input.AsSpan(row * cols, cols), output.AsSpan(row * cols, cols), window);
        }
    }

    /// <summary>
    /// The box filter down each of <paramref name="cols"/> adjacent columns of a row-major block of <paramref name="rows"/>
    /// rows: one running sum per column, streamed row by row.
    /// </summary>
    private static void Down(float[] input, int inputStart, float[] output, int outputStart, int rows, int cols, int window, float[] sums)
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
        for (var n = 0; n < phase2; n++, ri++, oi++)
        {
            Add(s, input.AsSpan(inputStart + ri * cols, cols));
            count++;
            Divide(s, count, output.AsSpan(outputStart + oi * cols, cols));
        }
        for (var n = 0; n < phase3; n++, ri++, li++, oi++)
        {
            Add(s, input.AsSpan(inputStart + ri * cols, cols));
            Subtract(s, input.AsSpan(inputStart + li * cols, cols));
            Divide(s, count, output.AsSpan(outputStart + oi * cols, cols));
        }
        for (var n = 0; n < phase4; n++, li++, oi++)
        {
            Subtract(s, input.AsSpan(inputStart + li * cols, cols));
            count--;
            Divide(s, count, output.AsSpan(outputStart + oi * cols, cols));
        }
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
