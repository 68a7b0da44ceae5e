using Microsoft.AspNetCore.Authorization;

namespace OnSeoulSafe.Web.Infrastructure.CaseAccess;

/// <summary>What a request wants to do with one case.</summary>
public enum CaseAccessScope
{
    /// <summary>Read or change the case file (narrative, tracks, messages): assigned companion, or a manager who broke the glass.</summary>
    CaseFile,

    /// <summary>Assign or reassign the case from the intake queue: managers only; shows no case content.</summary>
    Assignment,

    /// <summary>The form where a manager states why they open a file that is not theirs.</summary>
    BreakTheGlassForm,

    /// <summary>
    /// See a case's links waiting in the deletion request queue and request their deletion: the assigned companion, or
    /// any manager (managers answer for the proactive requests of unassigned cases); shows the links, not the file.
    /// </summary>
    DeletionQueue,
}

/// <summary>The resource the case handler decides on: just enough of a case to know who may open it.</summary>
/// <param name="TrackHolders">Staff responsible for one of the case's service tracks (a track handed to a colleague).</param>
public sealed record CaseResource(long CaseId, string Reference, Guid? AssignedCompanionId, IReadOnlyCollection<Guid>? TrackHolders = null)
{
    public bool HoldsTrack(Guid staffId) => TrackHolders?.Contains(staffId) == true;
}

public sealed class CaseAccessRequirement : IAuthorizationRequirement
{
    private CaseAccessRequirement(CaseAccessScope scope) => Scope = scope;

    public CaseAccessScope Scope { get; }

    public static CaseAccessRequirement CaseFile { get; } = new(CaseAccessScope.CaseFile);
    public static CaseAccessRequirement Assignment { get; } = new(CaseAccessScope.Assignment);
    public static CaseAccessRequirement BreakTheGlassForm { get; } = new(CaseAccessScope.BreakTheGlassForm);
    public static CaseAccessRequirement DeletionQueue { get; } = new(CaseAccessScope.DeletionQueue);

    public static CaseAccessRequirement For(CaseAccessScope scope) => scope switch
    {
        CaseAccessScope.Assignment => Assignment,
        CaseAccessScope.BreakTheGlassForm => BreakTheGlassForm,
        CaseAccessScope.DeletionQueue => DeletionQueue,
        _ => CaseFile,
    };
}

/// <summary>
/// Marks the one page that is not a read of the case file (the break-the-glass form). Every other case page
/// gets its folder's scope.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CaseAccessScopeAttribute(CaseAccessScope scope) : Attribute
{
    public CaseAccessScope Scope { get; } = scope;
}

/// <summary>
/// Marks the page that makes a document of the case file for the police or a court: its posts are logged as an
/// export (a read that leaves the portal), not as a change.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CaseFileExportAttribute : Attribute;
