using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>A staff member a case or track can be handed to.</summary>
/// <param name="HasSignedIn">False for an account nobody has signed in with yet (it may never be used).</param>
public sealed record StaffOption(Guid Id, string FirstName, string FullName, IReadOnlyList<string> Languages, int OpenCases, bool HasSignedIn = true);

/// <summary>A case's timeline events in all and per service track (a track without events is absent).</summary>
public sealed record TimelineCounts(int Total, IReadOnlyDictionary<ServiceTrackKind, int> PerTrack)
{
    public int Of(ServiceTrackKind track) => PerTrack.GetValueOrDefault(track);
}

/// <summary>Queries the case pages share.</summary>
public static class CaseFiles
{
    /// <summary>
    /// The whole file, for the assigned companion (or a manager who broke the glass). <paramref name="forChange"/> false
    /// reads it untracked: a file with hundreds of timeline events is then not snapshotted for change detection.
    /// Without <paramref name="withTimeline"/> the timeline is left unread. The case file page reads what it shows
    /// without this (<see cref="CaseFileView"/>).
    /// </summary>
    public static Task<Case> LoadAsync(PortalDbContext db, long caseId, CancellationToken cancellationToken, bool forChange = true, bool withTimeline = true)
    {
        IQueryable<Case> file = (forChange ? db.Cases : db.Cases.AsNoTracking()).AsSplitQuery()
            .Include(c => c.Victim)
            .Include(c => c.Narrative)
            .Include(c => c.Amendments)
            .Include(c => c.Consents)
            .Include(c => c.Tracks).ThenInclude(t => t.Referrals).ThenInclude(r => r.PartnerInstitution)
            .Include(c => c.Messages)
            .Include(c => c.AssignedCompanion);
        if (withTimeline) file = file.Include(c => c.Timeline);
        return file.SingleAsync(c => c.Id == caseId, cancellationToken);
    }

    /// <summary>Only the names are read (not the accounts, nor tracked): a case file asks on every view.</summary>
    public static async Task<Dictionary<Guid, string>> FirstNamesAsync(PortalDbContext db, IEnumerable<Guid?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<Guid>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.Where(u => wanted.Contains(u.Id)).Select(u => new { u.Id, u.FirstName })
            .ToDictionaryAsync(u => u.Id, u => u.FirstName, cancellationToken);
    }

    /// <summary>The names of the given partner institutions; no round trip when there are none (most files).</summary>
    public static async Task<Dictionary<int, string>> PartnerNamesAsync(PortalDbContext db, IEnumerable<int?> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.OfType<int>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.PartnerInstitutions.Where(p => wanted.Contains(p.Id)).Select(p => new { p.Id, p.Name })
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
    }

    /// <summary>Active staff in the given roles with their open caseload, by name: each page orders them for its own purpose.</summary>
    public static async Task<List<StaffOption>> StaffInRolesAsync(PortalDbContext db, string[] roles, CancellationToken cancellationToken)
    {
        var staff = await (
                from user in db.Users
                where user.IsActive && db.UserRoles.Any(ur => ur.UserId == user.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name!)))
                select new
                {
                    user.Id,
                    user.FirstName,
                    user.FullName,
                    user.Languages,
                    HasSignedIn = user.LastSignInAt != null,
                    OpenCases = db.Cases.Count(c => c.AssignedCompanionId == user.Id && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn),
                })
            .ToListAsync(cancellationToken);
        return staff
            .Select(s => new StaffOption(s.Id, s.FirstName, s.FullName, s.Languages, s.OpenCases, s.HasSignedIn))
            .OrderBy(s => s.FullName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Emergency first, then high, then normal: stored as text, so ordered explicitly.</summary>
    public static int PriorityRank(CasePriority priority) => priority switch
    {
        CasePriority.Emergency => 0,
        CasePriority.High => 1,
        _ => 2,
    };
}
