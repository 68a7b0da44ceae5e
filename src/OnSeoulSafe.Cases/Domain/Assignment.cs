namespace OnSeoulSafe.Cases.Domain;

/// <summary>One period during which a companion held the case.</summary>
public sealed class Assignment
{
    private Assignment() { }

    internal Assignment(long caseId, Guid companionId, Guid assignedById, DateTimeOffset assignedAt, string? reason)
    {
        CaseId = caseId;
        CompanionId = companionId;
        AssignedById = assignedById;
        AssignedAt = assignedAt;
        Reason = reason;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public Guid CompanionId { get; private set; }
    public Guid AssignedById { get; private set; }
    public DateTimeOffset AssignedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public string? Reason { get; private set; }

    internal void End(DateTimeOffset at) => EndedAt = at;
}
