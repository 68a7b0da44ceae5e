namespace OnSeoulSafe.Cases.Domain;

/// <summary>The victim's consent to one service track, optionally to one partner institution within it.</summary>
public sealed class Consent
{
    private Consent() { }

    internal Consent(long caseId, ServiceTrackKind track, int? partnerInstitutionId, DateTimeOffset givenAt, Guid? verballyTo = null)
    {
        VerballyToStaffId = verballyTo;
        CaseId = caseId;
        Track = track;
        PartnerInstitutionId = partnerInstitutionId;
        GivenAt = givenAt;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public ServiceTrackKind Track { get; private set; }
    public int? PartnerInstitutionId { get; private set; }
    public DateTimeOffset GivenAt { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }

    /// <summary>The staff member who heard the consent given aloud (a call, a visit); null when the victim gave it in the portal.</summary>
    public Guid? VerballyToStaffId { get; private set; }

    public bool IsActive => WithdrawnAt is null;

    internal void Withdraw(DateTimeOffset at) => WithdrawnAt ??= at;
}
