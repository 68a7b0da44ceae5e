using System.Security.Cryptography;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Audit;

/// <summary>
/// The keys of the access log's seal chain and of its checkpoints, from <c>Portal:Secrets:SealKey</c> or, when that
/// is empty, derived from <c>Portal:Secrets:HmacKey</c>. Kept in configuration, never in the database.
/// </summary>
public sealed class SealKey
{
    public SealKey(byte[] masterKey)
    {
        if (masterKey.Length < 32) throw new ArgumentException("The seal key needs at least 32 bytes.", nameof(masterKey));
        ChainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "access-log-seal"u8.ToArray());
        CheckpointKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: "access-log-checkpoint"u8.ToArray());
    }

    public byte[] ChainKey { get; }

    public byte[] CheckpointKey { get; }

    public static SealKey FromSecrets(PortalSecrets secrets) =>
        !string.IsNullOrWhiteSpace(secrets.SealKey) ? new SealKey(Convert.FromBase64String(secrets.SealKey))
        : !string.IsNullOrWhiteSpace(secrets.HmacKey) ? new SealKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(secrets.HmacKey), 32, info: "seal-key"u8.ToArray()))
        : throw new InvalidOperationException("Portal:Secrets:SealKey (or HmacKey) is not configured (base64 of at least 32 random bytes).");
}
