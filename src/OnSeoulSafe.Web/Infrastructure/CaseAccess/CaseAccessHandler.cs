using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Infrastructure.CaseAccess;

/// <summary>
/// The one place that decides who may open a case: the assigned companion; a companion or manager a service track of
/// the case was handed to; a manager, for a case not theirs only after breaking the glass; nobody else. The break-the-glass check reads the access log, so it holds across instances.
/// </summary>
/// <remarks>
/// The authorization middleware builds every handler for every request, the intake page's included: the database
/// context is taken from the request's services only when a manager's break-the-glass has to be checked.
/// </remarks>
public sealed class CaseAccessHandler(IServiceProvider requestServices, TimeProvider clock) : AuthorizationHandler<CaseAccessRequirement, CaseResource>
{
    /// <summary>Failure reason telling the caller a manager may still get in by stating a reason.</summary>
    public const string BreakTheGlassRequired = "case.break-the-glass-required";

    /// <summary>How long a stated reason opens the file for that manager (one working day).</summary>
    public static readonly TimeSpan BreakTheGlassValidity = TimeSpan.FromHours(8);

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, CaseAccessRequirement requirement, CaseResource resource)
    {
        if (StaffIdOf(context.User) is not { } staffId) return;
        var isManager = context.User.IsInRole(StaffRoles.Manager);
        var isAssigned = resource.AssignedCompanionId == staffId
            && (context.User.IsInRole(StaffRoles.Companion) || isManager);
        var holdsTrack = resource.HoldsTrack(staffId) && (context.User.IsInRole(StaffRoles.Companion) || isManager);

        switch (requirement.Scope)
        {
            case CaseAccessScope.Assignment:
                if (isManager) context.Succeed(requirement);
                return;
            case CaseAccessScope.BreakTheGlassForm:
            case CaseAccessScope.DeletionQueue:
                if (isManager || isAssigned) context.Succeed(requirement);
                return;
            case CaseAccessScope.CaseFile:
                if (isAssigned || holdsTrack)
                {
                    context.Succeed(requirement);
                }
                else if (isManager)
                {
                    if (await HasBrokenTheGlassAsync(staffId, resource.CaseId))
                    {
                        context.Succeed(requirement);
                    }
                    else
                    {
                        context.Fail(new AuthorizationFailureReason(this, BreakTheGlassRequired));
                    }
                }
                return;
            default:
                return;
        }
    }

    private Task<bool> HasBrokenTheGlassAsync(Guid staffId, long caseId)
    {
        var since = clock.GetUtcNow() - BreakTheGlassValidity;
        var db = requestServices.GetRequiredService<PortalDbContext>();
        return db.AccessLog.AnyAsync(e => e.CaseId == caseId && e.StaffId == staffId && e.Action == AccessAction.BreakTheGlass && e.At >= since);
    }

    /// <summary>
    /// Whose links the deletion request queue lists (the same rule as <see cref="CaseAccessScope.DeletionQueue"/>):
    /// null for a manager (every case, and case-less links), otherwise the companion's own cases only.
    /// </summary>
    public static Guid? DeletionQueueCompanionOf(ClaimsPrincipal user) =>
        user.IsInRole(StaffRoles.Manager) ? null : StaffIdOf(user) ?? Guid.Empty;

    /// <summary>Case-less links (unknown victims) are requested by managers only.</summary>
    public static bool MayRequestCaseless(ClaimsPrincipal user) => user.IsInRole(StaffRoles.Manager);

    public static Guid? StaffIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The role written to the access log for this user acting on this case.</summary>
    public static string ActorRoleOf(ClaimsPrincipal user, Guid? assignedCompanionId)
    {
        var staffId = StaffIdOf(user);
        if (staffId is not null && staffId == assignedCompanionId && user.IsInRole(StaffRoles.Companion)) return StaffRoles.Companion;
        return StaffRoles.All.FirstOrDefault(user.IsInRole, defaultValue: "Unknown") switch
        {
            StaffRoles.Companion when user.IsInRole(StaffRoles.Manager) => StaffRoles.Manager,
            var role => role,
        };
    }
}
