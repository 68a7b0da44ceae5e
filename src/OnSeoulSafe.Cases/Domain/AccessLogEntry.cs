namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// One read or change of a case file (or an attempt), by anyone; or a change to a staff account or a sign-in, with
/// the account it concerns in <see cref="SubjectStaffId"/>. Append-only.
/// </summary>
public sealed class AccessLogEntry
{
    private AccessLogEntry() { }

    public AccessLogEntry(DateTimeOffset at, Guid? staffId, string actorRole, long? caseId, AccessAction action, string what, string? reason, Guid? subjectStaffId = null)
    {
        SubjectStaffId = subjectStaffId;
        At = at;
        StaffId = staffId;
        ActorRole = actorRole;
        CaseId = caseId;
        Action = action;
        What = what;
        Reason = reason;
    }

    public long Id { get; private set; }

    /// <summary>The database gave the row this id when it was written outside the context.</summary>
    internal void WrittenAs(long id) => Id = id;

    public DateTimeOffset At { get; private set; }

    /// <summary>Null when the victim themself opened the file with their access code.</summary>
    public Guid? StaffId { get; private set; }
    public string ActorRole { get; private set; } = "";
    public long? CaseId { get; private set; }
    public AccessAction Action { get; private set; }

    /// <summary>Which part of the file (a page or handler name), never its content.</summary>
    public string What { get; private set; } = "";

    /// <summary>The reason a manager gave to break the glass.</summary>
    public string? Reason { get; private set; }

    /// <summary>The staff account an account change or sign-in concerns (null for case entries).</summary>
    public Guid? SubjectStaffId { get; private set; }
}
