namespace OnSeoulSafe.Cases.Domain;

/// <summary>Who a person notice is for.</summary>
public enum PersonNoticeKind
{
    /// <summary>A companion is told by e-mail that a victim's message waits unread on one of their cases.</summary>
    CompanionUnread,

    /// <summary>A victim who chose phone, text or e-mail is nudged to look at the portal.</summary>
    VictimNudge,
}

/// <summary>How a person notice travels.</summary>
public enum PersonNoticeChannel { Email, Sms }

/// <summary>Where a person notice stands.</summary>
public enum PersonNoticeState
{
    /// <summary>Due at <see cref="PersonNotice.NotBefore"/> (the first try, a back-off, or the start of her safe hours).</summary>
    Waiting,

    /// <summary>The mail server or the SMS gateway took it.</summary>
    Sent,

    /// <summary>Could not be sent after every attempt, or can never be sent as things stand; kept with its reason.</summary>
    Parked,

    /// <summary>No longer needed: the companion read the messages, the victim chose portal messages only, or an earlier nudge covers it.</summary>
    Dropped,
}

/// <summary>
/// One notice to a person (a companion or a victim) in the portal's outbox. It holds no address and no text: both
/// are looked up and composed when it is sent, and the text never names the case, the victim or (unless she allowed
/// it) the center. Its key is unique, so the same notice is never queued twice; a sender leases it before sending.
/// </summary>
public sealed class PersonNotice
{
    private PersonNotice() { }

    private PersonNotice(PersonNoticeKind kind, long caseId, Guid? staffId, PersonNoticeChannel channel, string reason, string key, DateTimeOffset now, DateTimeOffset notBefore)
    {
        Kind = kind;
        CaseId = caseId;
        StaffId = staffId;
        Channel = channel;
        Reason = reason;
        Key = key;
        State = PersonNoticeState.Waiting;
        CreatedAt = now;
        NotBefore = notBefore;
    }

    /// <summary>The e-mail to a companion about unread messages: one per companion and window (the key says which).</summary>
    public static PersonNotice CompanionUnread(long caseId, Guid staffId, long window, DateTimeOffset now) =>
        new(PersonNoticeKind.CompanionUnread, caseId, staffId, PersonNoticeChannel.Email, "unread", $"unread:{staffId:N}:{window}", now, now);

    /// <summary>A nudge to the victim on the channel she chose; null when she chose portal messages only.</summary>
    public static PersonNotice? VictimNudge(long caseId, ContactChannel channel, string reason, DateTimeOffset now) => channel switch
    {
        ContactChannel.Email => new(PersonNoticeKind.VictimNudge, caseId, null, PersonNoticeChannel.Email, reason, $"nudge:{Guid.NewGuid():N}", now, now),
        ContactChannel.Phone or ContactChannel.Text => new(PersonNoticeKind.VictimNudge, caseId, null, PersonNoticeChannel.Sms, reason, $"nudge:{Guid.NewGuid():N}", now, now),
        _ => null,
    };

    public long Id { get; private set; }
    public PersonNoticeKind Kind { get; private set; }
    public long CaseId { get; private set; }
    public Guid? StaffId { get; private set; }
    public PersonNoticeChannel Channel { get; private set; }

    /// <summary>Why it was queued, as a word (<c>unread</c>, <c>message</c>, <c>status</c>): never a text.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>Unique: the idempotency key the mail server (Message-ID) and the SMS gateway (Idempotency-Key) see.</summary>
    public string Key { get; private set; } = "";
    public PersonNoticeState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NotBefore { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? LeasedUntil { get; private set; }
    public Guid? LeaseToken { get; private set; }

    /// <summary>A short word for the last failure or the reason it was parked or dropped, never a message text.</summary>
    public string? LastError { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }

    public void MarkSent(DateTimeOffset now)
    {
        EnsureWaiting();
        State = PersonNoticeState.Sent;
        SentAt = now;
        LastError = null;
        ClearLease();
    }

    /// <summary>A failed try: waits until <paramref name="retryAt"/>, or is parked with its reason.</summary>
    public void MarkFailed(string reason, bool park, DateTimeOffset retryAt)
    {
        EnsureWaiting();
        LastError = Word(reason);
        NotBefore = retryAt;
        if (park) State = PersonNoticeState.Parked;
        ClearLease();
    }

    /// <summary>Outside the victim's safe hours: waits for their start; the try does not count.</summary>
    public void WaitUntil(DateTimeOffset at)
    {
        EnsureWaiting();
        NotBefore = at;
        Attempts = Math.Max(0, Attempts - 1);
        LastError = "outside-safe-hours";
        ClearLease();
    }

    public void Drop(string reason)
    {
        EnsureWaiting();
        State = PersonNoticeState.Dropped;
        LastError = Word(reason);
        ClearLease();
    }

    private void EnsureWaiting()
    {
        if (State != PersonNoticeState.Waiting) throw new DomainRuleException("person-notice.closed", "This notice was already dealt with.");
    }

    private void ClearLease()
    {
        LeasedUntil = null;
        LeaseToken = null;
    }

    private static string Word(string reason) => reason.Length > 80 ? reason[..80] : reason;
}
