using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OnSeoulSafe.Cases.Protection;

/// <summary>
/// Authenticated encryption (AES-256-GCM) of free-text fields. Each value carries the id of the key it was written
/// with, so rotating to a new active key leaves old rows readable. A tampered value fails closed.
/// Version 1: version(1) | key id(4) | nonce(12) | tag(16) | ciphertext, the header as additional data.
/// Version 2 binds the value to its place: version(1) | key id(4) | row key length(1) | row key | nonce(12) | tag(16) |
/// ciphertext, with the header (row key included), the table and the column as additional data, so a value copied to
/// another table or column fails to decrypt and one copied to another row names a row key that is not its own.
/// Version 1 values are refused on a field read like a misplaced value (one copied from another row would decrypt
/// anywhere); only the upgrade (<see cref="DecryptForUpgrade"/>, run by the migration step) still reads them.
/// The unplaced <see cref="Encrypt(string)"/>/<see cref="Decrypt(byte[])"/> pair remains for the Data Protection key ring.
/// </summary>
public sealed class FieldCipher : IDisposable
{
    private const byte FormatVersion = 1;

    /// <summary>The newest format: bound to table, column and row.</summary>
    public const byte PlacedFormatVersion = 2;
    private const int MaxRowKeyBytes = 64;
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

    /// <summary>Encrypts a value for one place (version 2) with the active key.</summary>
    public byte[] Encrypt(string plaintext, FieldPlace place)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var rowKey = Encoding.UTF8.GetBytes(place.RowKey);
        if (rowKey.Length > MaxRowKeyBytes) throw new ArgumentException("A row key is at most 64 bytes.", nameof(place));
        var header = HeaderSize + 1 + rowKey.Length;
        var output = new byte[header + NonceSize + TagSize + plain.Length];
        output[0] = PlacedFormatVersion;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), _activeKeyId);
        output[HeaderSize] = (byte)rowKey.Length;
        rowKey.CopyTo(output.AsSpan(HeaderSize + 1));
        var nonce = output.AsSpan(header, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        CipherFor(_activeKeyId, _keys[_activeKeyId]).Encrypt(nonce, plain, output.AsSpan(header + NonceSize + TagSize),
            output.AsSpan(header + NonceSize, TagSize), AdditionalData(output.AsSpan(0, header), place.Table, place.Column));
        return output;
    }

    /// <summary>
    /// Decrypts a value read from <paramref name="table"/>.<paramref name="column"/>. A version 2 value written for another
    /// table or column is refused; the row key it was written for is returned (null for a version 1 value), for the
    /// caller to compare with the row it was read from.
    /// </summary>
    public string Decrypt(byte[] stored, string table, string column, out string? rowKey)
    {
        if (stored.Length > 0 && stored[0] == FormatVersion)
        {
            throw new FieldPlaceException(table, column, null, oldFormat: true);
        }
        var plain = DecryptPlaced(stored, table, column, out var writtenFor);
        rowKey = Encoding.UTF8.GetString(writtenFor);
        return plain;
    }

    /// <summary>
    /// Decrypts a value read from <paramref name="table"/>.<paramref name="column"/> of the row <paramref name="rowKey"/>
    /// names, and refuses one written for another place: <see cref="Decrypt(byte[], string, string, out string?)"/> and
    /// the row key's comparison in one, with nothing allocated but the text (a case file decrypts hundreds of values).
    /// </summary>
    /// <exception cref="FieldPlaceException">The value was written for another place, or in the old format.</exception>
    public string DecryptAt(ReadOnlySpan<byte> stored, string table, string column, string rowKey)
    {
        if (stored.Length > 0 && stored[0] == FormatVersion)
        {
            throw new FieldPlaceException(table, column, null, oldFormat: true);
        }
        var plain = DecryptPlaced(stored, table, column, out var writtenFor);
        if (plain.Length > 0 && !IsRowKey(writtenFor, rowKey)) throw new FieldPlaceException(table, column, rowKey);
        return plain;
    }

    /// <summary>
    /// As <see cref="Decrypt(byte[], string, string, out string?)"/>, but a version 1 value (bound to no place) is read too,
    /// its row key null: for the re-encryption job alone, which writes it back bound to the row it was found in.
    /// </summary>
    public string DecryptForUpgrade(byte[] stored, string table, string column, out string? rowKey)
    {
        if (stored.Length > 0 && stored[0] == FormatVersion)
        {
            rowKey = null;
            return Decrypt(stored);
        }
        var plain = DecryptPlaced(stored, table, column, out var writtenFor);
        rowKey = Encoding.UTF8.GetString(writtenFor);
        return plain;
    }

    /// <summary>Whether a stored value is in the old format, bound to no place.</summary>
    public static bool IsUnplaced(byte[] stored) => stored.Length > 0 && stored[0] == FormatVersion;

    // The additional data and the decrypted bytes go into one scratch buffer: on the stack for the short values most
    // fields hold, rented for longer ones, and wiped before it is left or handed back.
    private const int StackScratchBytes = 512;

    private string DecryptPlaced(ReadOnlySpan<byte> stored, string table, string column, out ReadOnlySpan<byte> rowKey)
    {
        if (stored.Length < HeaderSize + 1 || stored[0] != PlacedFormatVersion
            || stored.Length < HeaderSize + 1 + stored[HeaderSize] + NonceSize + TagSize)
        {
            throw new CryptographicException("Encrypted field has an unknown format.");
        }
        var keyId = BinaryPrimitives.ReadInt32BigEndian(stored.Slice(1, 4));
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"Encrypted field uses key {keyId}, which is not configured.");
        }
        var header = HeaderSize + 1 + stored[HeaderSize];
        var additionalLength = AdditionalDataLength(header, table, column);
        var plainLength = stored.Length - header - NonceSize - TagSize;
        byte[]? rented = null;
        var scratch = additionalLength + plainLength <= StackScratchBytes
            ? stackalloc byte[StackScratchBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(additionalLength + plainLength));
        var additional = scratch[..additionalLength];
        var plain = scratch.Slice(additionalLength, plainLength);
        try
        {
            WriteAdditionalData(stored[..header], table, column, additional);
            try
            {
                CipherFor(keyId, key).Decrypt(stored.Slice(header, NonceSize), stored[(header + NonceSize + TagSize)..],
                    stored.Slice(header + NonceSize, TagSize), plain, additional);
            }
            catch (AuthenticationTagMismatchException)
            {
                throw new FieldPlaceException(table, column, null);
            }
            rowKey = stored.Slice(HeaderSize + 1, stored[HeaderSize]);
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsRowKey(ReadOnlySpan<byte> writtenFor, string rowKey)
    {
        if (Encoding.UTF8.GetByteCount(rowKey) != writtenFor.Length) return false;
        Span<byte> expected = stackalloc byte[byte.MaxValue];
        var length = Encoding.UTF8.GetBytes(rowKey, expected);
        return expected[..length].SequenceEqual(writtenFor);
    }

    /// <summary>Whether a stored value is in the newest format and under the active key (nothing left to re-encrypt).</summary>
    public bool IsCurrent(byte[] stored) =>
        stored.Length > HeaderSize && stored[0] == PlacedFormatVersion && KeyIdOf(stored) == _activeKeyId;

    private static byte[] AdditionalData(ReadOnlySpan<byte> header, string table, string column)
    {
        var data = new byte[AdditionalDataLength(header.Length, table, column)];
        WriteAdditionalData(header, table, column, data);
        return data;
    }

    // header | 0 | table | 0 | column, the names in UTF-8.
    private static int AdditionalDataLength(int headerLength, string table, string column) =>
        headerLength + 1 + Encoding.UTF8.GetByteCount(table) + 1 + Encoding.UTF8.GetByteCount(column);

    private static void WriteAdditionalData(ReadOnlySpan<byte> header, string table, string column, Span<byte> data)
    {
        header.CopyTo(data);
        var at = header.Length;
        data[at++] = 0;
        at += Encoding.UTF8.GetBytes(table, data[at..]);
        data[at++] = 0;
        Encoding.UTF8.GetBytes(column, data[at..]);
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
