namespace OnSeoulSafe.Cases.Domain;

/// <summary>What happened, in the victim's words, written once and never overwritten. Encrypted at rest.</summary>
public sealed class Narrative
{
    private Narrative() { }

    internal Narrative(string text, DateOnly? happenedOn, DateTimeOffset writtenAt)
    {
        Text = text;
        HappenedOn = happenedOn;
        WrittenAt = writtenAt;
    }

    public long CaseId { get; private set; }
    public string Text { get; private set; } = "";
    public DateOnly? HappenedOn { get; private set; }
    public DateTimeOffset WrittenAt { get; private set; }

    /// <summary>Approved erasure removes the words; the case keeps only its statistics.</summary>
    public void Erase() => Text = "";
}

/// <summary>A later addition to the narrative, dated, by the victim (no staff id) or a companion writing it down for them.</summary>
public sealed class NarrativeAmendment
{
    private NarrativeAmendment() { }

    internal NarrativeAmendment(long caseId, string text, Guid? staffId, DateTimeOffset addedAt)
    {
        CaseId = caseId;
        Text = text;
        StaffId = staffId;
        AddedAt = addedAt;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public string Text { get; private set; } = "";
    public Guid? StaffId { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }

    public void Erase() => Text = "";
}
