namespace OnSeoulSafe.Cases.Domain;

/// <summary>A decision about a minor's case that the center's written practice says who takes.</summary>
public enum MinorDecision { Counselling, MedicalExamination, DeletionRequest, PoliceReport, LegalSupport, DisclosureToSchool, ContactingGuardian }

/// <summary>Who takes a decision for a minor: she alone, she with a guardian's consent, or the law (nobody's choice).</summary>
public enum MinorDecider { MinorAlone, MinorWithGuardianConsent, ByLaw }

/// <summary>
/// One row of the center's practice for minors, kept as data a manager can change: who decides, from which age a
/// minor decides alone where Korean practice draws such a line, and a note for staff.
/// </summary>
public sealed class MinorPractice
{
    public const int NoteMax = 400;
    public const int YoungestAge = 1;
    public const int OldestMinorAge = 18;

    private MinorPractice() { }

    public MinorPractice(MinorDecision decision, MinorDecider decidedBy, int? aloneFromAge, string note, DateTimeOffset now)
    {
        Decision = decision;
        Change(decidedBy, aloneFromAge, note, staffId: null, now);
    }

    public int Id { get; private set; }
    public MinorDecision Decision { get; private set; }
    public MinorDecider DecidedBy { get; private set; }

    /// <summary>
    /// With <see cref="MinorDecider.MinorWithGuardianConsent"/>: from this age (in full years) she decides alone, below
    /// it a guardian's consent is needed. Null when no age line is drawn.
    /// </summary>
    public int? AloneFromAge { get; private set; }
    public string Note { get; private set; } = "";
    public DateTimeOffset ChangedAt { get; private set; }
    public Guid? ChangedByStaffId { get; private set; }

    /// <summary>What the access log keeps of this row's rule (never the note, which may be long): e.g. <c>MinorWithGuardianConsent/14</c>.</summary>
    public string Rule => AloneFromAge is { } age ? $"{DecidedBy}/{age}" : DecidedBy.ToString();

    /// <summary>
    /// A manager changes the practice. Refuses an age line outside a minor's years or beside a decision that is not a
    /// guardian's consent, and an overlong note. False when nothing changed (nothing to record).
    /// </summary>
    public bool Change(MinorDecider decidedBy, int? aloneFromAge, string? note, Guid? staffId, DateTimeOffset now)
    {
        if (!Enum.IsDefined(decidedBy)) throw new DomainRuleException("practice.decider", "Choose who decides.");
        if (aloneFromAge is { } age && (age < YoungestAge || age > OldestMinorAge))
        {
            throw new DomainRuleException("practice.age", "An age line lies between 1 and 18 years.");
        }
        if (aloneFromAge is not null && decidedBy != MinorDecider.MinorWithGuardianConsent)
        {
            throw new DomainRuleException("practice.age-without-consent", "An age line applies only where a guardian's consent is needed below it.");
        }
        var text = (note ?? "").Trim();
        if (text.Length > NoteMax) throw new DomainRuleException("practice.note", "The note is too long.");
        if (DecidedBy == decidedBy && AloneFromAge == aloneFromAge && Note == text && ChangedAt != default) return false;
        DecidedBy = decidedBy;
        AloneFromAge = aloneFromAge;
        Note = text;
        ChangedAt = now;
        ChangedByStaffId = staffId;
        return true;
    }
}
