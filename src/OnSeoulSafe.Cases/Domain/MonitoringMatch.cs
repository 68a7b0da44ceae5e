namespace OnSeoulSafe.Cases.Domain;

/// <summary>What became of a copy monitoring found: requested at once, waiting for the companion, approved or dismissed.</summary>
public enum MatchDecision { Waiting, RequestedAutomatically, Approved, Dismissed }

/// <summary>Why a found copy waits for the companion instead of being requested at once.</summary>
public enum MatchWaitReason
{
    /// <summary>An adult victim has not allowed copies to be requested automatically.</summary>
    NoConsent,

    /// <summary>The copy is further from the victim's hash than the center lets act without a person.</summary>
    AboveAutomaticDistance,

    /// <summary>The copy's hash is too unreliable (quality under 50) to act alone.</summary>
    LowQuality,

    /// <summary>The address belongs to no known platform: someone must say where to send the request.</summary>
    NoPlatform,
}

/// <summary>
/// A copy of a victim's picture or video that monitoring found at one address: which kind of hash matched, how far
/// from the case's hash, how reliable the copy's hash is, when it was found first and last, and who decided what to do
/// with it. It never holds the picture. One per ledger entry: the same address found again updates this row.
/// </summary>
public sealed class MonitoringMatch
{
    /// <summary>The reference's PDQ match threshold: nothing further than this is a match at all.</summary>
    public const int MatchDistance = 31;

    /// <summary>A perceptual hash under this quality never acts alone.</summary>
    public const int MinQuality = 50;

    public const int MaxReasonLength = 500;

    private MonitoringMatch() { }

    public MonitoringMatch(ContentItem item, long caseId, HashKind kind, int distance, int? quality, string? matchedHash, DateTimeOffset now)
    {
        if (distance is < 0 or > MatchDistance)
        {
            throw new DomainRuleException("monitoring-match.distance", "A match lies within distance 31 of the case's hash.");
        }
        ContentItem = item;
        if (item.Id != 0) ContentItemId = item.Id;
        CaseId = caseId;
        Kind = kind;
        Distance = distance;
        Quality = quality;
        MatchedHash = matchedHash;
        FoundAt = now;
        LastFoundAt = now;
        TimesFound = 1;
        Decision = MatchDecision.Waiting;
    }

    public long Id { get; private set; }
    public long ContentItemId { get; private set; }
    public ContentItem? ContentItem { get; private set; }
    public long CaseId { get; private set; }
    public HashKind Kind { get; private set; }

    /// <summary>Hamming distance between the copy's hash and the case's (0 for the same file).</summary>
    public int Distance { get; private set; }

    /// <summary>PDQ quality of the copy's hash; null for a SHA-256 match.</summary>
    public int? Quality { get; private set; }

    /// <summary>The case's hash that matched (64 hex digits); null for a SHA-256 match.</summary>
    public string? MatchedHash { get; private set; }

    public DateTimeOffset FoundAt { get; private set; }
    public DateTimeOffset LastFoundAt { get; private set; }
    public int TimesFound { get; private set; }

    public MatchDecision Decision { get; private set; }
    public MatchWaitReason? WaitReason { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public Guid? DecidedById { get; private set; }

    /// <summary>Why the companion dismissed it, in their words (encrypted at rest).</summary>
    public string? DismissReason { get; private set; }

    /// <summary>
    /// Whether a copy may be requested without a person: never beyond the center's automatic distance (at most 31) or
    /// under the quality cut-off, never without a platform to send to, and only for a minor or a victim who allowed it.
    /// Null means it may; otherwise the reason it waits for the companion.
    /// </summary>
    public static MatchWaitReason? WhyNotAutomatic(int distance, int? quality, int automaticMaxDistance, bool hasPlatform, bool isMinor, bool victimAllows)
    {
        if (distance > Math.Min(automaticMaxDistance, MatchDistance)) return MatchWaitReason.AboveAutomaticDistance;
        if (quality is < MinQuality) return MatchWaitReason.LowQuality;
        if (!hasPlatform) return MatchWaitReason.NoPlatform;
        if (!isMinor && !victimAllows) return MatchWaitReason.NoConsent;
        return null;
    }

    /// <summary>Found at the same address again: the closest hash is kept and the time moves on.</summary>
    public void FoundAgain(HashKind kind, int distance, int? quality, string? matchedHash, DateTimeOffset now)
    {
        TimesFound++;
        LastFoundAt = now;
        if (distance < Distance)
        {
            Kind = kind;
            Distance = distance;
            Quality = quality;
            MatchedHash = matchedHash;
        }
    }

    /// <summary>The copy was requested at once (a minor's case, or the victim allowed it).</summary>
    public void RequestedAutomatically(DateTimeOffset now)
    {
        Decision = MatchDecision.RequestedAutomatically;
        WaitReason = null;
        DecidedAt = now;
        DecidedById = null;
        DismissReason = null;
    }

    /// <summary>The copy waits for the companion's decision (again, when it came back after deletion).</summary>
    public void Wait(MatchWaitReason reason)
    {
        Decision = MatchDecision.Waiting;
        WaitReason = reason;
        DecidedAt = null;
        DecidedById = null;
        DismissReason = null;
    }

    /// <summary>The companion asks for the copy to be requested.</summary>
    public void Approve(Guid staffId, DateTimeOffset now)
    {
        EnsureWaiting();
        Decision = MatchDecision.Approved;
        DecidedAt = now;
        DecidedById = staffId;
    }

    /// <summary>The companion decides the copy is not the victim's, or not to be requested, and says why.</summary>
    public void Dismiss(Guid staffId, string reason, DateTimeOffset now)
    {
        EnsureWaiting();
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainRuleException("monitoring-match.reason", "Say why this match is dismissed.");
        }
        reason = reason.Trim();
        if (reason.Length > MaxReasonLength)
        {
            throw new DomainRuleException("monitoring-match.reason-length", $"The reason is at most {MaxReasonLength} characters.");
        }
        Decision = MatchDecision.Dismissed;
        DecidedAt = now;
        DecidedById = staffId;
        DismissReason = reason;
    }

    /// <summary>Erasure keeps the numbers (kind, distance, dates) and drops the hash and the companion's words.</summary>
    public void Erase()
    {
        MatchedHash = null;
        DismissReason = null;
    }

    private void EnsureWaiting()
    {
        if (Decision != MatchDecision.Waiting)
        {
            throw new DomainRuleException("monitoring-match.decided", "This match was already decided.");
        }
    }
}
