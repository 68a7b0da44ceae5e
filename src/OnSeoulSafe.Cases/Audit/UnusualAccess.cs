using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Audit;

/// <summary>One account that opened more different cases within the window than the threshold allows.</summary>
public sealed record UnusualAccessAlert(Guid StaffId, string? Account, int Cases, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// Finds accounts that opened many different cases in a short time (by default more than 30 in 10 minutes), from the
/// access log itself: every attempt counts, refused ones included. The work lists (My cases, the agenda, the deletion
/// queue) log a row for every case they show, but showing a companion their forty cases is their day's work, not
/// unusual access: rows written by those lists are not counted as opening a case.
/// </summary>
public sealed class UnusualAccess(PortalDbContext db, TimeProvider clock, IOptions<AuditOptions> options)
{
    private static readonly string[] WorkLists = CaseAccessLog.WorkLists;

    public async Task<IReadOnlyList<UnusualAccessAlert>> FindAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var since = clock.GetUtcNow() - settings.UnusualAccessLookback;
        var rows = await db.AccessLog.AsNoTracking()
            .Where(e => e.At >= since && e.StaffId != null && e.CaseId != null && !WorkLists.Contains(e.What))
            .OrderBy(e => e.StaffId).ThenBy(e => e.At)
            .Select(e => new { StaffId = e.StaffId!.Value, CaseId = e.CaseId!.Value, e.At })
            .ToListAsync(cancellationToken);

        var found = new List<(Guid StaffId, int Cases, DateTimeOffset From, DateTimeOffset To)>();
        foreach (var staff in rows.GroupBy(r => r.StaffId))
        {
            var views = staff.ToList();
            var inWindow = new Dictionary<long, int>();
            (int Cases, DateTimeOffset From, DateTimeOffset To) worst = (0, default, default);
            var start = 0;
            for (var end = 0; end < views.Count; end++)
            {
                inWindow[views[end].CaseId] = inWindow.GetValueOrDefault(views[end].CaseId) + 1;
                while (views[end].At - views[start].At > settings.UnusualAccessWindow)
                {
                    var leaving = views[start++].CaseId;
                    if (--inWindow[leaving] == 0) inWindow.Remove(leaving);
                }
                if (inWindow.Count > worst.Cases) worst = (inWindow.Count, views[start].At, views[end].At);
            }
            if (worst.Cases > settings.UnusualAccessCases) found.Add((staff.Key, worst.Cases, worst.From, worst.To));
        }
        if (found.Count == 0) return [];

        var ids = found.Select(f => f.StaffId).ToList();
        var accounts = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        return found
            .OrderByDescending(f => f.Cases)
            .Select(f => new UnusualAccessAlert(f.StaffId, accounts.GetValueOrDefault(f.StaffId), f.Cases, f.From, f.To))
            .ToList();
    }
}
