using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace OnSeoulSafe.Hashing;

/// <summary>
/// A 256-bit PDQ hash. Bit k (0..255) is DCT coefficient (k / 16, k % 16); <see cref="W0"/> holds bits 0..63,
/// <see cref="W3"/> bits 192..255. Its hex form is the reference's: the big-endian hex of the 256-bit number, so the
/// last four hex digits are DCT row 0.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct PdqHash(ulong W0, ulong W1, ulong W2, ulong W3)
{
    public const int Bits = 256;
    public const int Bytes = 32;

    public static PdqHash Zero => default;

    /// <summary>Hamming distance: the number of bits that differ.</summary>
    public int DistanceTo(PdqHash other) =>
        BitOperations.PopCount(W0 ^ other.W0) + BitOperations.PopCount(W1 ^ other.W1)
        + BitOperations.PopCount(W2 ^ other.W2) + BitOperations.PopCount(W3 ^ other.W3);

    public static int Distance(PdqHash a, PdqHash b) => a.DistanceTo(b);

    /// <summary>Bits set (the reference tool's "norm"; 128 for a typical picture).</summary>
    public int BitCount =>
        BitOperations.PopCount(W0) + BitOperations.PopCount(W1) + BitOperations.PopCount(W2) + BitOperations.PopCount(W3);

    public bool this[int bit] => ((Word(bit >> 6) >> (bit & 63)) & 1) != 0;

    /// <summary>The 16-bit word <paramref name="index"/> (0..15): bits 16·index .. 16·index+15, DCT row <paramref name="index"/>.</summary>
    public ushort Word16(int index) => (ushort)(Word(index >> 2) >> ((index & 3) * 16));

    private ulong Word(int index) => index switch
    {
        0 => W0,
        1 => W1,
        2 => W2,
        3 => W3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Builds a hash from 256 bits given as the DCT coefficient order (bit k = coefficient k).</summary>
    public static PdqHash FromBits(ReadOnlySpan<bool> bits)
    {
        if (bits.Length != Bits) throw new ArgumentException("A PDQ hash has 256 bits.", nameof(bits));
        Span<ulong> words = stackalloc ulong[4];
        for (var k = 0; k < Bits; k++)
        {
            if (bits[k]) words[k >> 6] |= 1UL << (k & 63);
        }
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    /// <summary>The 64 lowercase hex digits the reference prints.</summary>
    public override string ToString() =>
        string.Create(64, this, static (chars, hash) =>
        {
            hash.W3.TryFormat(chars[..16], out _, "x16", CultureInfo.InvariantCulture);
            hash.W2.TryFormat(chars[16..32], out _, "x16", CultureInfo.InvariantCulture);
            hash.W1.TryFormat(chars[32..48], out _, "x16", CultureInfo.InvariantCulture);
            hash.W0.TryFormat(chars[48..], out _, "x16", CultureInfo.InvariantCulture);
        });

    public static PdqHash Parse(string hex) =>
        TryParse(hex, out var hash) ? hash : throw new FormatException("A PDQ hash is 64 hex digits.");

    public static bool TryParse(ReadOnlySpan<char> hex, out PdqHash hash)
    {
        hash = default;
        if (hex.Length != 64) return false;
        const NumberStyles style = NumberStyles.AllowHexSpecifier;
        if (!ulong.TryParse(hex[..16], style, CultureInfo.InvariantCulture, out var w3)
            || !ulong.TryParse(hex[16..32], style, CultureInfo.InvariantCulture, out var w2)
            || !ulong.TryParse(hex[32..48], style, CultureInfo.InvariantCulture, out var w1)
            || !ulong.TryParse(hex[48..], style, CultureInfo.InvariantCulture, out var w0))
        {
            return false;
        }
        hash = new PdqHash(w0, w1, w2, w3);
        return true;
    }

    /// <summary>The 32 bytes as stored in a bank: the big-endian 256-bit number, the same order as the hex.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Bytes];
        WriteBytes(bytes);
        return bytes;
    }

    public void WriteBytes(Span<byte> destination)
    {
        if (destination.Length < Bytes) throw new ArgumentException("A PDQ hash needs 32 bytes.", nameof(destination));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, W3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[8..], W2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[16..], W1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[24..], W0);
    }

    public static PdqHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Bytes) throw new ArgumentException("A PDQ hash is 32 bytes.", nameof(bytes));
        return new PdqHash(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }
}
