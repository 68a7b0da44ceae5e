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
    /// The name a rate-limit counter is kept under: a keyed hash, so the shared counters hold no address and no
    /// reference anyone typed, only a name the portal can recompute.
    /// </summary>
    public string LimitPartition(string policy, string partition) =>
        policy + ":" + Convert.ToBase64String(HMACSHA256.HashData(_limitKey, Encoding.UTF8.GetBytes(policy + "\n" + partition)), 0, 18);
}
