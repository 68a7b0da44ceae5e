namespace OnSeoulSafe.Cases.Domain;

public enum CodeRecoveryStatus
{
    Requested,
    Approved,
    Declined,
    Collected,
}

/// <summary>
/// A victim who lost her access code asks for a new one without filing a new report. The request opens nothing:
/// her companion (or a manager) reaches her through the safe contact she chose, hears her safe word and the request's
/// confirmation number, and approves; only then can the person holding the request's pickup code collect a new access
/// code, once. The companion never sees either code. Requests for unknown references are recorded the same way,
/// without a case, so the answer and its cost say nothing about which references exist.
/// </summary>
public sealed class CodeRecovery
{
    /// <summary>An unanswered request lapses after this long.</summary>
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromDays(7);

    /// <summary>How long an approved request can be collected.</summary>
    public static readonly TimeSpan PickupWindow = TimeSpan.FromDays(3);

    private CodeRecovery() { }

    public CodeRecovery(long? caseId, string confirmationNumber, byte[] pickupHash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(confirmationNumber);
        CaseId = caseId;
        ConfirmationNumber = confirmationNumber;
        PickupHash = pickupHash;
        RequestedAt = now;
        Status = CodeRecoveryStatus.Requested;
    }

    public long Id { get; private set; }

    /// <summary>Null when the reference typed belongs to no case.</summary>
    public long? CaseId { get; private set; }

    public DateTimeOffset RequestedAt { get; private set; }

    /// <summary>Four digits the victim sees and reads back to the companion, so the request and the person on the phone are the same.</summary>
    public string ConfirmationNumber { get; private set; } = "";

    /// <summary>Keyed hash of the pickup code shown only to the person who made the request.</summary>
    public byte[] PickupHash { get; private set; } = [];

    public CodeRecoveryStatus Status { get; private set; }
    public Guid? DecidedById { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public DateTimeOffset? CollectedAt { get; private set; }

    public bool IsWaiting(DateTimeOffset now) => Status == CodeRecoveryStatus.Requested && now - RequestedAt < RequestLifetime;

    public bool CanBeCollected(DateTimeOffset now) => Status == CodeRecoveryStatus.Approved && DecidedAt is { } at && now - at < PickupWindow;

    /// <summary>The companion confirmed who asked, through the safe contact: the old code stops working at once.</summary>
    public void Approve(Case @case, Guid staffId, byte[] unusableCodeHash, DateTimeOffset now)
    {
        EnsureWaiting(@case, now);
        Status = CodeRecoveryStatus.Approved;
        DecidedById = staffId;
        DecidedAt = now;
        @case.ReplaceAccessCode(unusableCodeHash);
    }

    public void Decline(Case @case, Guid staffId, DateTimeOffset now)
    {
        EnsureWaiting(@case, now);
        Status = CodeRecoveryStatus.Declined;
        DecidedById = staffId;
        DecidedAt = now;
    }

    /// <summary>The new code is made here and given to the holder of the pickup code once; only its hash is kept.</summary>
    public void Collect(Case @case, byte[] newCodeHash, DateTimeOffset now)
    {
        if (@case.Id != CaseId) throw new DomainRuleException("recovery.case", "The request belongs to another case.");
        if (!CanBeCollected(now)) throw new DomainRuleException("recovery.not-approved", "The request is not approved, or its pickup window has passed.");
        Status = CodeRecoveryStatus.Collected;
        CollectedAt = now;
        @case.ReplaceAccessCode(newCodeHash);
    }

    private void EnsureWaiting(Case @case, DateTimeOffset now)
    {
        if (@case.Id != CaseId) throw new DomainRuleException("recovery.case", "The request belongs to another case.");
        if (!IsWaiting(now)) throw new DomainRuleException("recovery.state", $"A request in status {Status} cannot be decided.");
    }
}
