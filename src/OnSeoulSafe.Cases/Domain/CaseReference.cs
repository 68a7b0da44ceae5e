using System.Security.Cryptography;

namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// A case's public reference: <c>SDS-</c>, eight random Crockford base32 characters (40 bits) in two groups of four,
/// and a check character, e.g. <c>SDS-7KQ2-M9XD-R</c>. Random, so nobody can guess the next one or walk through them;
/// short enough to read over the phone; the check character (Luhn mod 32, in the same alphabet so it can be read
/// aloud like the rest) catches every single mistyped character and nearly every swap of two neighbours. References
/// issued before this format (<c>SDS-2026-000123</c>) stay valid for look-up.
/// </summary>
public static class CaseReference
{
    public const string Prefix = "SDS-";
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int RandomLength = 8;

    /// <summary>A new random reference.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(bytes);
        Span<char> body = stackalloc char[RandomLength];
        for (var i = 0; i < RandomLength; i++) body[i] = Alphabet[bytes[i] & 0x1F];
        return Compose(body);
    }

    /// <summary>The reference for eight base32 characters (tests and fixed demo data).</summary>
    public static string From(string eightCharacters)
    {
        if (eightCharacters.Length != RandomLength || eightCharacters.Any(c => !Alphabet.Contains(c)))
        {
            throw new ArgumentException("A reference needs eight base32 characters.", nameof(eightCharacters));
        }
        return Compose(eightCharacters);
    }

    /// <summary>The format issued before random references; existing cases keep theirs.</summary>
    public static string Legacy(int year, long number) => $"SDS-{year}-{number:D6}";

    /// <summary>
    /// Reads what a person typed: case, spaces and dashes do not matter, the look-alikes O, I and L are read as 0, 1, 1,
    /// and the prefix may be left out. A reference in the earlier format is accepted as it is.
    /// </summary>
    public static ReferenceReading Read(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return new(ReferenceVerdict.Malformed, null);
        var compact = new string([.. input.Where(c => !char.IsWhiteSpace(c) && c is not ('-' or '–' or '_')).Select(char.ToUpperInvariant)]);
        if (compact.StartsWith("SDS", StringComparison.Ordinal)) compact = compact[3..];
        if (compact.Length == 10 && compact.All(char.IsAsciiDigit))
        {
            return new(ReferenceVerdict.Valid, Legacy(int.Parse(compact[..4], System.Globalization.CultureInfo.InvariantCulture), long.Parse(compact[4..], System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (compact.Length != RandomLength + 1) return new(ReferenceVerdict.Malformed, null);
        Span<char> chars = stackalloc char[RandomLength + 1];
        for (var i = 0; i < chars.Length; i++)
        {
            var c = compact[i] switch { 'O' => '0', 'I' or 'L' => '1', var other => other };
            if (!Alphabet.Contains(c)) return new(ReferenceVerdict.Malformed, null);
            chars[i] = c;
        }
        if (CheckCharacter(chars[..RandomLength]) != chars[RandomLength]) return new(ReferenceVerdict.CheckFailed, null);
        return new(ReferenceVerdict.Valid, Compose(chars[..RandomLength]));
    }

    /// <summary>True when <paramref name="reference"/> is a well-formed reference of the current format with a correct check character.</summary>
    public static bool IsValid(string reference) =>
        reference.Length == 15 && reference.StartsWith(Prefix, StringComparison.Ordinal) && Read(reference) is { Verdict: ReferenceVerdict.Valid } r && r.Reference == reference;

    private static string Compose(ReadOnlySpan<char> body) =>
        $"{Prefix}{body[..4]}-{body[4..]}-{CheckCharacter(body)}";

    /// <summary>Luhn mod N over the base32 alphabet (N = 32).</summary>
    private static char CheckCharacter(ReadOnlySpan<char> body)
    {
        const int n = 32;
        var factor = 2;
        var sum = 0;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            var addend = factor * Alphabet.IndexOf(body[i], StringComparison.Ordinal);
            factor = factor == 2 ? 1 : 2;
            sum += addend / n + addend % n;
        }
        return Alphabet[(n - sum % n) % n];
    }
}

public enum ReferenceVerdict { Valid, Malformed, CheckFailed }

/// <summary>What <see cref="CaseReference.Read"/> made of the input: the reference as stored, when it is one.</summary>
public sealed record ReferenceReading(ReferenceVerdict Verdict, string? Reference);
