using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>Appointments across the companion's own cases, from today on.</summary>
public sealed class AgendaModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public const int DaysAhead = 60;

    public sealed record Appointment(long CaseId, string Reference, DateTimeOffset At, ServiceTrackKind? Track, string? Place, int? DurationMinutes);

    public IReadOnlyList<Appointment> Appointments { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var now = clock.GetUtcNow();
        var start = KoreaTime.StartOfDay(now);
        var until = start.AddDays(DaysAhead);
        var me = CaseAccessHandler.StaffIdOf(User);
        Appointments = await (
                from e in db.TimelineEvents.AsNoTracking()
                join c in db.Cases on e.CaseId equals c.Id
                where c.AssignedCompanionId == me && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn
                    && e.Kind == TimelineEventKind.Appointment && e.OccurredAt >= start && e.OccurredAt < until
                orderby e.OccurredAt
                select new Appointment(c.Id, c.Reference, e.OccurredAt, e.Track, e.Place, e.DurationMinutes))
            .ToListAsync(cancellationToken);

        // The places come from the case files: each file shown is logged as read.
        var role = CaseAccessHandler.ActorRoleOf(User, me);
        foreach (var caseId in Appointments.Select(a => a.CaseId).Distinct())
        {
            CaseAccessLog.Record(db, now, me, role, caseId, AccessAction.View, CaseAccessLog.AgendaList);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
