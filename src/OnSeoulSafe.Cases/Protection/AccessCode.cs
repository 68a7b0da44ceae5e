using System.Security.Cryptography;

namespace OnSeoulSafe.Cases.Protection;

/// <summary>
/// The victim's secret: 16 Crockford base32 characters (80 bits), shown in groups of four so it can be copied by hand.
/// Input is forgiving: case, spaces, dashes and the look-alikes O/I/L are normalised.
/// </summary>
public static class AccessCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 16;

    public static string Generate() => FromBytes(RandomNumberGenerator.GetBytes(10));

    /// <summary>Writes the first 80 bits of <paramref name="bytes"/> as 16 base32 characters.</summary>
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10) throw new ArgumentException("An access code needs 80 bits.", nameof(bytes));
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            var bit = i * 5;
            var pair = (bytes[bit / 8] << 8) | (bit / 8 + 1 < 10 ? bytes[bit / 8 + 1] : 0);
            chars[i] = Alphabet[(pair >> (11 - bit % 8)) & 0x1F];
        }
        return new string(chars);
    }

    public static string Format(string code) =>
        string.Join('-', Enumerable.Range(0, code.Length / 4).Select(i => code.Substring(i * 4, 4)));

    /// <summary>Returns null when the input cannot be a code (wrong length or characters).</summary>
    public static string? Normalise(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var chars = new List<char>(Length);
        foreach (var raw in input)
        {
            if (raw is ' ' or '-' or '\t') continue;
            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(c)) return null;
            chars.Add(c);
            if (chars.Count > Length) return null;
        }
        return chars.Count == Length ? new string([.. chars]) : null;
    }
}
