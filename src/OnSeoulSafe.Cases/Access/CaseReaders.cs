using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Access;

/// <summary>One time a staff member opened or changed a victim's file, as the victim may see it.</summary>
/// <param name="Role">The staff role recorded at the time (Companion, Manager ...).</param>
/// <param name="FirstName">The staff member's first name only; never the account name or e-mail.</param>
public sealed record CaseReader(string Role, string FirstName, DateTimeOffset At, AccessAction Action);

/// <summary>Who opened a case file and when, for the victim's status page.</summary>
public static class CaseReaders
{
    private static readonly AccessAction[] Reads = [AccessAction.View, AccessAction.Edit, AccessAction.Export];

    public static async Task<IReadOnlyList<CaseReader>> ForCaseAsync(
        PortalDbContext db, long caseId, CancellationToken cancellationToken, int limit = 200)
    {
        var rows = await (
                from entry in db.AccessLog.AsNoTracking()
                where entry.CaseId == caseId && entry.StaffId != null && Reads.Contains(entry.Action)
                join staff in db.Users on entry.StaffId equals staff.Id into staffRows
                from staff in staffRows.DefaultIfEmpty()
                orderby entry.At descending, entry.Id descending
                select new { entry.ActorRole, FirstName = staff == null ? "" : staff.FirstName, entry.At, entry.Action })
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new CaseReader(r.ActorRole, r.FirstName, r.At, r.Action)).ToList();
    }
}
