namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// One link of the access log's hash chain: seal number N covers one log entry and carries
/// HMAC-SHA256(seal key, hash of seal N-1 || N || the entry's fields) when <see cref="Keyed"/>, with a key the
/// database does not hold; seals written before keying carry the plain SHA-256 of the same bytes. The chain runs in seal order, not entry order, so an entry
/// that committed late simply gets a later seal. Insert-only, like the log itself.
/// </summary>
public sealed class AccessLogSeal
{
    private AccessLogSeal() { }

    public AccessLogSeal(long sealNumber, long entryId, byte[] previousHash, byte[] hash, DateTimeOffset sealedAt, bool keyed = true)
    {
        Keyed = keyed;
        SealNumber = sealNumber;
        EntryId = entryId;
        PreviousHash = previousHash;
        Hash = hash;
        SealedAt = sealedAt;
    }

    public long SealNumber { get; private set; }
    public long EntryId { get; private set; }
    public byte[] PreviousHash { get; private set; } = [];
    public byte[] Hash { get; private set; } = [];
    public DateTimeOffset SealedAt { get; private set; }

    /// <summary>Sealed with the seal key (every seal since keying); false only for seals written before it.</summary>
    public bool Keyed { get; private set; }
}
