namespace OnSeoulSafe.Cases.Domain;

/// <summary>How the portal delivers a platform's deletion notices: not at all (a person sends the text), by e-mail, or to an HTTP endpoint.</summary>
public enum NoticeDelivery { ByHand, Email, HttpEndpoint }

/// <summary>The body an HTTP notice endpoint takes.</summary>
public enum NoticeBodyFormat { Json, Form }

/// <summary>Where a notice in the outbox stands.</summary>
public enum NoticeState
{
    /// <summary>Waiting to be sent (first try, or again after a failure once its back-off is over).</summary>
    Waiting,

    /// <summary>Accepted by the platform's inbox or endpoint; the verified time of the notice is <see cref="DeletionNotice.SentAt"/>.</summary>
    Sent,

    /// <summary>The platform answered the notice itself (accepted with its reference, or refused).</summary>
    Answered,

    /// <summary>Could not be sent after every attempt, or can never be sent as configured: kept with its reason until a person sends it again.</summary>
    Parked,
}

/// <summary>Which notice of the escalation ladder this is.</summary>
public enum NoticeStep { First = 1, Second = 2 }

/// <summary>
/// The escalation ladder of one link: the first notice, a second notice when the platform's deadline passed, then a
/// prepared report to the regulator (KCSC) a person sends and records, then the investigation track (police).
/// </summary>
public enum EscalationStep { None, FirstNotice, SecondNotice, RegulatorReport, RegulatorReported, Investigation }

/// <summary>
/// One deletion notice in the portal's outbox (PostgreSQL): one per deletion request and step, so the same notice
/// is never queued twice. A sender leases it (<see cref="LeasedUntil"/>, <see cref="LeaseToken"/>), sends it, and
/// records what happened; a failed send waits for its back-off and is tried again, and after the last attempt it is
/// parked, visibly, never dropped. Holds no victim data: the text is composed at send time from the ledger.
/// </summary>
public sealed class DeletionNotice
{
    private DeletionNotice() { }

    public DeletionNotice(DeletionRequest request, ContentItem item, Platform platform, NoticeStep step, DateTimeOffset now)
    {
        Request = request;
        ContentItemId = item.Id;
        Item = item;
        PlatformId = platform.Id;
        Step = step;
        Delivery = platform.NoticeDelivery;
        Language = platform.NoticeLanguage;
        State = NoticeState.Waiting;
        CreatedAt = now;
        NotBefore = now;
    }

    public long Id { get; private set; }
    public long DeletionRequestId { get; private set; }
    public DeletionRequest? Request { get; private set; }
    public long ContentItemId { get; private set; }
    public ContentItem? Item { get; private set; }
    public int PlatformId { get; private set; }
    public NoticeStep Step { get; private set; }
    public NoticeDelivery Delivery { get; private set; }
    public string Language { get; private set; } = "ko";
    public NoticeState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NotBefore { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? LeasedUntil { get; private set; }
    public Guid? LeaseToken { get; private set; }

    /// <summary>A short machine word for the last failure (<c>smtp-rejected</c>, <c>timeout</c>, <c>template-field:x</c>), never a message text.</summary>
    public string? LastError { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The platform's own reference for the notice (a ticket number), when it answered with one.</summary>
    public string? PlatformReference { get; private set; }

    /// <summary>Sent: the platform's inbox or endpoint took it. The item's ledger records it.</summary>
    public void MarkSent(string? platformReference, DateTimeOffset now, TimeSpan deadline)
    {
        EnsureOpen();
        State = NoticeState.Sent;
        SentAt = now;
        PlatformReference = Trim(platformReference);
        LastError = null;
        ClearLease();
        Item?.RecordNoticeEvent($"notice:{Step}:sent", now);
        Item?.StartDeadline(now, deadline);
    }

    /// <summary>The endpoint answered at once: accepted with its reference, or refused (the item records the refusal).</summary>
    public void MarkAnswered(bool refused, string? platformReference, string? reason, DateTimeOffset now, TimeSpan deadline)
    {
        EnsureOpen();
        State = NoticeState.Answered;
        SentAt ??= now;
        AnsweredAt = now;
        PlatformReference = Trim(platformReference);
        LastError = refused ? Word(reason ?? "refused") : null;
        ClearLease();
        if (Item is null) return;
        Item.StartDeadline(now, deadline);
        Item.RecordNoticeEvent(refused ? $"notice:{Step}:refused" : $"notice:{Step}:answered", now);
        if (refused && Item.Status == ContentStatus.Requested) Item.RecordOutcome(ContentStatus.Refused, null, now);
    }

    /// <summary>
    /// A failed try: back in the outbox at <paramref name="retryAt"/>, or parked when <paramref name="park"/>. A parked
    /// notice starts the platform's deadline as a sent one would: a platform the portal cannot reach still climbs the ladder.
    /// </summary>
    public void MarkFailed(string reason, bool park, DateTimeOffset retryAt, DateTimeOffset now, TimeSpan deadline)
    {
        EnsureOpen();
        LastError = Word(reason);
        NotBefore = retryAt;
        if (park) State = NoticeState.Parked;
        ClearLease();
        Item?.RecordNoticeEvent(park ? $"notice:{Step}:parked:{LastError}" : $"notice:{Step}:failed:{LastError}", now);
        if (park) Item?.StartDeadline(now, deadline);
    }

    /// <summary>A person sends a parked notice again (after the platform's settings were corrected).</summary>
    public void Retry(DateTimeOffset now)
    {
        if (State != NoticeState.Parked) throw new DomainRuleException("notice.not-parked", "Only a notice that could not be sent is sent again.");
        State = NoticeState.Waiting;
        Attempts = 0;
        NotBefore = now;
    }

    private void EnsureOpen()
    {
        if (State is not NoticeState.Waiting) throw new DomainRuleException("notice.closed", "This notice was already dealt with.");
    }

    private void ClearLease()
    {
        LeasedUntil = null;
        LeaseToken = null;
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().Length > 200 ? value.Trim()[..200] : value.Trim();

    private static string Word(string reason) => reason.Length > 80 ? reason[..80] : reason;
}
