namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// A flag on a case: a file of this case (by SHA-256) was also reported on another case, or the re-check job found it
/// served online. It never names the other case, so neither victim is revealed to the other's companion. A perceptual
/// match (a changed copy) records which of the case's hashes matched, its kind and the Hamming distance; its
/// <see cref="Sha256"/> is then the served file's, so one served file flags a case once.
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

    /// <summary>A perceptual match: the case's <paramref name="matchedHash"/> of <paramref name="kind"/> lies <paramref name="distance"/> bits from the served file's.</summary>
    public HashMatch(long caseId, string servedSha256, HashMatchSource source, HashKind kind, string matchedHash, int distance, DateTimeOffset now)
        : this(caseId, servedSha256, source, now)
    {
        if (kind == HashKind.Sha256 || !EvidenceHash.IsSha256(matchedHash) || distance is < 0 or > PdqMatchDistance)
        {
            throw new DomainRuleException("hash-match.perceptual", "A perceptual match names a PDQ hash (64 hex digits) within distance 31.");
        }
        Kind = kind;
        MatchedHash = matchedHash.ToLowerInvariant();
        Distance = distance;
    }

    /// <summary>The reference's match threshold (as OnSeoulSafe.Hashing's Pdq.MatchDistance).</summary>
    public const int PdqMatchDistance = 31;

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public string Sha256 { get; private set; } = "";
    public HashMatchSource Source { get; private set; }

    /// <summary>What matched: the file's SHA-256 (exactly the same file), or a PDQ of a picture or of a video frame.</summary>
    public HashKind Kind { get; private set; } = HashKind.Sha256;

    /// <summary>For a perceptual match, the case's hash that matched (64 hex digits); null for a SHA-256 match.</summary>
    public string? MatchedHash { get; private set; }

    /// <summary>For a perceptual match, the Hamming distance (0-31); null for a SHA-256 match.</summary>
    public int? Distance { get; private set; }
    public DateTimeOffset DetectedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public Guid? AcknowledgedById { get; private set; }

    public void Acknowledge(Guid staffId, DateTimeOffset now)
    {
        AcknowledgedAt ??= now;
        AcknowledgedById ??= staffId;
    }
}
