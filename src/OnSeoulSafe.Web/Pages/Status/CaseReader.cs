using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>Who opened the victim's file: role and first name, never the staff account.</summary>
public sealed record CaseReader(string Role, string FirstName, DateTimeOffset At)
{
    public static async Task<IReadOnlyList<CaseReader>> ForCaseAsync(PortalDbContext db, long caseId, int count, CancellationToken cancellationToken) =>
        await (from entry in db.AccessLog.AsNoTracking()
               join staff in db.Users on entry.StaffId equals staff.Id
               where entry.CaseId == caseId
               orderby entry.At descending
               select new CaseReader(entry.ActorRole, staff.FirstName, entry.At))
            .Take(count)
            .ToListAsync(cancellationToken);
}
