namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// The fingerprint of a file the victim holds, computed in their browser. The file itself never reaches the portal;
/// the same hash on another case is flagged to both companions without revealing either victim.
/// </summary>
public sealed class EvidenceHash
{
    private EvidenceHash() { }

    public EvidenceHash(long caseId, string sha256, ContentKind kind, long? sizeBytes, DateTimeOffset now)
    {
        if (!IsSha256(sha256))
        {
            throw new DomainRuleException("evidence.sha256", "A SHA-256 hash is 64 hexadecimal characters.");
        }
        CaseId = caseId;
        Sha256 = sha256.ToLowerInvariant();
        Kind = kind;
        SizeBytes = sizeBytes;
        AddedAt = now;
    }

    /// <summary>True for 64 hexadecimal characters: the only thing hash-only evidence may carry.</summary>
    public static bool IsSha256(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public string Sha256 { get; private set; } = "";
    public ContentKind Kind { get; private set; }
    public long? SizeBytes { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
}
