using System.Security.Cryptography;
using System.Text;

namespace OnSeoulSafe.Cases.Protection;

/// <summary>
/// Keyed hashes: the victim's access code (a random secret, so a fast keyed hash is the right tool) and
/// content URLs (to find duplicates without decrypting). Keys are derived from one configured secret.
/// </summary>
public sealed class Fingerprints
{
    private readonly byte[] _accessCodeKey;
    private readonly byte[] _urlKey;
    private readonly byte[] _intakeKey;
    private readonly byte[] _intakeFingerprintKey;
    private readonly byte[] _recoveryPickupKey;
    private readonly byte[] _contactPhoneKey;
    private readonly byte[] _contactEmailKey;
    private readonly byte[] _limitKey;

    public Fingerprints(byte[] masterKey)
    {
        if (masterKey.Length < 32)
        {
            throw new InvalidOperationException("Portal:Secrets:HmacKey must be at least 32 bytes (base64).");
        }
        _accessCodeKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "access-code"u8.ToArray());
        _urlKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "content-url"u8.ToArray());
        _intakeKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "intake-code"u8.ToArray());
        _intakeFingerprintKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "intake-fingerprint"u8.ToArray());
        _recoveryPickupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "recovery-pickup"u8.ToArray());
        _contactPhoneKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "contact-search-phone"u8.ToArray());
        _contactEmailKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "contact-search-email"u8.ToArray());
        _limitKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "rate-limit"u8.ToArray());
    }

    public static Fingerprints FromSecrets(PortalSecrets secrets) =>
        string.IsNullOrWhiteSpace(secrets.HmacKey)
            ? throw new InvalidOperationException("Portal:Secrets:HmacKey is not configured (base64 of at least 32 random bytes).")
            : new Fingerprints(Convert.FromBase64String(secrets.HmacKey));

    public byte[] AccessCode(string reference, string normalisedCode) =>
        HMACSHA256.HashData(_accessCodeKey, Encoding.UTF8.GetBytes(reference + "\n" + normalisedCode));

    public bool AccessCodeMatches(string reference, string normalisedCode, byte[] stored) =>
        CryptographicOperations.FixedTimeEquals(AccessCode(reference, normalisedCode), stored);

    /// <summary>
    /// The access code of the case an intake form creates, derived from the form's random intake key: a repeated
    /// submit (double click, retry after a network error) finds the same case and can show the same code again.
    /// </summary>
    public string IntakeAccessCode(Guid intakeKey) =>
        Protection.AccessCode.FromBytes(HMACSHA256.HashData(_intakeKey, intakeKey.ToByteArray()));

    /// <summary>
    /// What the case row keeps of the intake key, to find a repeated submit. Keyed with another purpose than the
    /// code, and one-way: a copy of the database plus the HMAC key still cannot give back the key, so not the code.
    /// </summary>
    public byte[] IntakeFingerprint(Guid intakeKey) =>
        HMACSHA256.HashData(_intakeFingerprintKey, intakeKey.ToByteArray());

    /// <summary>The pickup code of a lost-code recovery request, bound to its reference; another purpose than access codes.</summary>
    public byte[] RecoveryPickup(string reference, string normalisedCode) =>
        HMACSHA256.HashData(_recoveryPickupKey, Encoding.UTF8.GetBytes(reference + "\n" + normalisedCode));

    public bool RecoveryPickupMatches(string reference, string normalisedCode, byte[] stored) =>
        CryptographicOperations.FixedTimeEquals(RecoveryPickup(reference, normalisedCode), stored);

    public byte[] ContentUrl(string normalisedUrl) =>
        HMACSHA256.HashData(_urlKey, Encoding.UTF8.GetBytes(normalisedUrl));

    /// <summary>
    /// Keyed hash of a victim's phone number for exact-match search by staff (never decrypting the table); null
    /// when no digits are left after normalising (<see cref="NormalisePhone"/>).
    /// </summary>
    public byte[]? ContactPhone(string? phone) =>
        NormalisePhone(phone) is { } digits ? HMACSHA256.HashData(_contactPhoneKey, Encoding.UTF8.GetBytes(digits)) : null;

    /// <summary>Keyed hash of a victim's e-mail address for exact-match search; null when empty.</summary>
    public byte[]? ContactEmail(string? email) =>
        NormaliseEmail(email) is { } address ? HMACSHA256.HashData(_contactEmailKey, Encoding.UTF8.GetBytes(address)) : null;

    /// <summary>
    /// Digits only, a Korean country code (+82, 82) written as the leading 0 people dial at home: "+82 10-1234-5678",
    /// "010 1234 5678" and "01012345678" are one number. Null when no digits are left.
    /// </summary>
    public static string? NormalisePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone)) return null;
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0) return null;
        if (digits.StartsWith("82", StringComparison.Ordinal) && digits.Length > 9)
        {
            digits = digits.StartsWith("820", StringComparison.Ordinal) ? digits[2..] : "0" + digits[2..];
        }
        return digits;
    }

    /// <summary>Trimmed and lower-cased (addresses are compared case-insensitively by every mail system the victims use).</summary>
    public static string? NormaliseEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>
    /// The name a rate-limit counter is kept under: a keyed hash, so the shared counters hold no address and no
    /// reference anyone typed, only a name the portal can recompute.
    /// </summary>
    public string LimitPartition(string policy, string partition) =>
        policy + ":" + Convert.ToBase64String(HMACSHA256.HashData(_limitKey, Encoding.UTF8.GetBytes(policy + "\n" + partition)), 0, 18);
}
