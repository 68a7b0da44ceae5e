namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// A flag on a case: a file of this case (by SHA-256) was also reported on another case, or the re-check job found it
/// served online. It never names the other case, so neither victim is revealed to the other's companion.
/// </summary>
public sealed class HashMatch
{
    private HashMatch() { }

    public HashMatch(long caseId, string sha256, HashMatchSource source, DateTimeOffset now)
    {
        if (!EvidenceHash.IsSha256(sha256))
        {
            throw new DomainRuleException("evidence.sha256", "A SHA-256 hash is 64 hexadecimal characters.");
        }
        CaseId = caseId;
        Sha256 = sha256.ToLowerInvariant();
        Source = source;
        DetectedAt = now;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public string Sha256 { get; private set; } = "";
    public HashMatchSource Source { get; private set; }
    public DateTimeOffset DetectedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public Guid? AcknowledgedById { get; private set; }

    public void Acknowledge(Guid staffId, DateTimeOffset now)
    {
        AcknowledgedAt ??= now;
        AcknowledgedById ??= staffId;
    }
}
