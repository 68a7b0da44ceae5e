using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Infrastructure.CaseAccess;

/// <summary>
/// The case the current request was allowed to open, filled in by <see cref="CaseAccessFilter"/> before the page
/// handler runs. Pages load the case by <see cref="CaseId"/> and never repeat the checks.
/// </summary>
public sealed class CaseAccessContext
{
    private CaseResource? _case;

    public bool IsGranted => _case is not null;

    public long CaseId => Case.CaseId;
    public string Reference => Case.Reference;
    public Guid StaffId { get; private set; }
    public string ActorRole { get; private set; } = "";

    /// <summary>
    /// The access-log row of this request, not yet written (a change's row waits in the request's context, a view's does not): a page
    /// that reads the case with one batch writes it in that batch (see <see cref="OnSeoulSafe.Cases.Access.CaseAccessLog.InsertCommand"/>).
    /// </summary>
    public AccessLogEntry? LogRow { get; private set; }

    /// <summary>True when the reader is the assigned companion (false for a manager who broke the glass).</summary>
    public bool IsAssignedToMe => Case.AssignedCompanionId == StaffId;

    private CaseResource Case =>
        _case ?? throw new InvalidOperationException("No case was authorised for this request; the page is outside the case access convention.");

    internal void Logged(AccessLogEntry entry) => LogRow = entry;

    internal void Grant(CaseResource resource, Guid staffId, string actorRole)
    {
        _case = resource;
        StaffId = staffId;
        ActorRole = actorRole;
    }
}
