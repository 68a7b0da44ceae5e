using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OnSeoulSafe.Cases.Protection;

/// <summary>
/// Authenticated encryption (AES-256-GCM) of free-text fields. Each value carries the id of the key it was written
/// with, so rotating to a new active key leaves old rows readable. A tampered value fails closed.
/// Layout: version(1) | key id(4) | nonce(12) | tag(16) | ciphertext.
/// </summary>
public sealed class FieldCipher : IDisposable
{
    private const byte FormatVersion = 1;
    private const int HeaderSize = 1 + 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<int, byte[]> _keys;
    private readonly int _activeKeyId;

    // An AesGcm holds the expanded key in a native cipher context, costly to set up and not safe to share between
    // threads: each thread keeps its own per key (a case file decrypts hundreds of fields). A thread's contexts are
    // not tracked beyond it, so a retired pool thread's are collected (their handles free the native memory).
    private readonly ThreadLocal<Dictionary<int, AesGcm>> _ciphers = new(() => []);

    public FieldCipher(IReadOnlyDictionary<int, byte[]> keys, int activeKeyId)
    {
        if (!keys.TryGetValue(activeKeyId, out var active))
        {
            throw new InvalidOperationException($"Encryption key {activeKeyId} is configured as active but is missing.");
        }
        if (keys.Values.Any(k => k.Length != 32))
        {
            throw new InvalidOperationException("Every encryption key must be 32 bytes (base64 of 32 random bytes).");
        }
        _ = active;
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray());
        _activeKeyId = activeKeyId;
    }

    public static FieldCipher FromSecrets(PortalSecrets secrets)
    {
        var keys = new Dictionary<int, byte[]>();
        foreach (var (id, value) in secrets.EncryptionKeys)
        {
            if (!int.TryParse(id, out var keyId))
            {
                throw new InvalidOperationException($"Encryption key id '{id}' is not a number.");
            }
            keys[keyId] = Convert.FromBase64String(value);
        }
        if (keys.Count == 0)
        {
            throw new InvalidOperationException(
                "No field-encryption key is configured: set Portal:Secrets:EncryptionKeys:1 (base64 of 32 random bytes) and Portal:Secrets:ActiveEncryptionKey=1.");
        }
        return new FieldCipher(keys, secrets.ActiveEncryptionKey);
    }

    public int ActiveKeyId => _activeKeyId;

    public byte[] Encrypt(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[HeaderSize + NonceSize + TagSize + plain.Length];
        output[0] = FormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), _activeKeyId);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        CipherFor(_activeKeyId, _keys[_activeKeyId]).Encrypt(nonce, plain, output.AsSpan(HeaderSize + NonceSize + TagSize), output.AsSpan(HeaderSize + NonceSize, TagSize), output.AsSpan(0, HeaderSize));
        return output;
    }

    public string Decrypt(byte[] stored)
    {
        if (stored.Length < HeaderSize + NonceSize + TagSize || stored[0] != FormatVersion)
        {
            throw new CryptographicException("Encrypted field has an unknown format.");
        }
        var keyId = BinaryPrimitives.ReadInt32BigEndian(stored.AsSpan(1, 4));
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"Encrypted field uses key {keyId}, which is not configured.");
        }
        var plain = new byte[stored.Length - HeaderSize - NonceSize - TagSize];
        CipherFor(keyId, key).Decrypt(
            stored.AsSpan(HeaderSize, NonceSize),
            stored.AsSpan(HeaderSize + NonceSize + TagSize),
            stored.AsSpan(HeaderSize + NonceSize, TagSize),
            plain,
            stored.AsSpan(0, HeaderSize));
        return Encoding.UTF8.GetString(plain);
    }

    private AesGcm CipherFor(int keyId, byte[] key)
    {
        var ciphers = _ciphers.Value!;
        if (!ciphers.TryGetValue(keyId, out var aes))
        {
            aes = new AesGcm(key, TagSize);
            ciphers[keyId] = aes;
        }
        return aes;
    }

    public void Dispose() => _ciphers.Dispose();

    /// <summary>Which key a stored value was written with (for rotation reports).</summary>
    public static int KeyIdOf(byte[] stored) => BinaryPrimitives.ReadInt32BigEndian(stored.AsSpan(1, 4));
}
