namespace OnSeoulSafe.Cases.Domain;

/// <summary>A police unit, law firm, hospital or counselling institute the centre refers victims to.</summary>
public sealed class PartnerInstitution
{
    private PartnerInstitution() { }

    public PartnerInstitution(string name, ServiceTrackKind track, string? contact)
    {
        Name = name;
        Track = track;
        Contact = contact;
        IsActive = true;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";
    public ServiceTrackKind Track { get; private set; }
    public string? Contact { get; private set; }
    public bool IsActive { get; private set; }

    public void Update(string name, ServiceTrackKind track, string? contact, bool isActive)
    {
        Name = name;
        Track = track;
        Contact = contact;
        IsActive = isActive;
    }
}

/// <summary>A referral of the victim to a partner institution on one track.</summary>
public sealed class Referral
{
    private Referral() { }

    internal Referral(long caseId, long serviceTrackId, int partnerInstitutionId, Guid staffId, string? note, DateTimeOffset at)
    {
        CaseId = caseId;
        ServiceTrackId = serviceTrackId;
        PartnerInstitutionId = partnerInstitutionId;
        ReferredById = staffId;
        Note = note;
        ReferredAt = at;
        Status = ReferralStatus.Sent;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public long ServiceTrackId { get; private set; }
    public int PartnerInstitutionId { get; private set; }
    public PartnerInstitution? PartnerInstitution { get; private set; }
    public Guid ReferredById { get; private set; }
    public DateTimeOffset ReferredAt { get; private set; }
    public ReferralStatus Status { get; private set; }

    /// <summary>Encrypted at rest.</summary>
    public string? Note { get; private set; }

    public void Update(ReferralStatus status) => Status = status;

    public void Erase() => Note = null;
}
