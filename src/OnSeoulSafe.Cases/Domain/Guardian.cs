namespace OnSeoulSafe.Cases.Domain;

/// <summary>Who a guardian of a minor is to her, in words that name no one.</summary>
public enum GuardianRelation { Mother, Father, Grandparent, OtherGuardian }

/// <summary>
/// A guardian of a minor, as she described them. A contact is kept (encrypted) only for a guardian she named as safe;
/// one she said may be the offender or unsafe keeps no contact and is never contacted (<see cref="Case.EnsureMayContactGuardian"/>).
/// </summary>
public sealed class Guardian
{
    private Guardian() { }

    internal Guardian(long caseId, GuardianRelation relation, DateTimeOffset now)
    {
        CaseId = caseId;
        Relation = relation;
        ChangedAt = now;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public GuardianRelation Relation { get; private set; }

    /// <summary>A phone number or e-mail address, only while she names this guardian as safe. Encrypted at rest.</summary>
    public string? Contact { get; private set; }

    /// <summary>She named this guardian as safe to contact.</summary>
    public bool NamedSafe { get; private set; }

    /// <summary>She said this guardian may be the offender or is not safe: never contacted, whatever else is recorded.</summary>
    public bool MarkedUnsafe { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    internal void NameSafe(string contact, DateTimeOffset now)
    {
        Contact = contact.Trim();
        NamedSafe = true;
        MarkedUnsafe = false;
        ChangedAt = now;
    }

    internal void MarkUnsafe(DateTimeOffset now)
    {
        Contact = null;
        NamedSafe = false;
        MarkedUnsafe = true;
        ChangedAt = now;
    }

    internal void Erase() => Contact = null;
}
