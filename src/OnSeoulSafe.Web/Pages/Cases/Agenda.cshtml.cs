using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// Every planned date with a victim on the companion's own open cases (appointments, accompaniments, home visits,
/// calls, hearings): a list from today on, or a week or a month (Korea time).
/// </summary>
public sealed class AgendaModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public const int DaysAhead = 60;

    public sealed record Appointment(long CaseId, string Reference, DateTimeOffset At, TimelineEventKind Kind, ServiceTrackKind? Track, string? Place, int? DurationMinutes);

    public IReadOnlyList<Appointment> Appointments { get; private set; } = [];

    /// <summary><c>list</c>, <c>week</c> or <c>month</c>.</summary>
    public string View { get; private set; } = "list";

    /// <summary>The first day shown (Korea time): today, the Monday of the week, or the first of the month.</summary>
    public DateOnly First { get; private set; }

    /// <summary>The day after the last one shown.</summary>
    public DateOnly End { get; private set; }

    public DateOnly Today { get; private set; }

    /// <param name="view"><c>week</c> or <c>month</c>; anything else is the list.</param>
    /// <param name="date">A day in the week or month to show (yyyy-MM-dd); today when absent or unreadable.</param>
    public async Task OnGetAsync(string? view, string? date)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var now = clock.GetUtcNow();
        Today = DateOnly.FromDateTime(KoreaTime.ToKorea(now).DateTime);
        var day = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asked) ? asked : Today;
        (View, First, End) = view switch
        {
            "week" => ("week", Monday(day), Monday(day).AddDays(7)),
            "month" => ("month", new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, 1).AddMonths(1)),
            _ => ("list", Today, Today.AddDays(DaysAhead)),
        };
        var start = KoreaTime.FromKorea(First.ToDateTime(TimeOnly.MinValue));
        var until = KoreaTime.FromKorea(End.ToDateTime(TimeOnly.MinValue));
        var me = CaseAccessHandler.StaffIdOf(User);
        Appointments = await (
                from e in db.TimelineEvents.AsNoTracking()
                join c in db.Cases on e.CaseId equals c.Id
                where c.AssignedCompanionId == me && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn
                    && TimelineEvent.WithTheVictim.Contains(e.Kind) && e.OccurredAt >= start && e.OccurredAt < until
                orderby e.OccurredAt, e.Id
                select new Appointment(c.Id, c.Reference, e.OccurredAt, e.Kind, e.Track, e.Place, e.DurationMinutes))
            .ToListAsync(cancellationToken);

        // The places come from the case files: each file shown is logged as read.
        var role = CaseAccessHandler.ActorRoleOf(User, me);
        foreach (var caseId in Appointments.Select(a => a.CaseId).Distinct())
        {
            CaseAccessLog.Record(db, now, me, role, caseId, AccessAction.View, CaseAccessLog.AgendaList);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The dates shown on a day (Korea time).</summary>
    public IEnumerable<Appointment> On(DateOnly day) =>
        Appointments.Where(a => DateOnly.FromDateTime(KoreaTime.ToKorea(a.At).DateTime) == day);

    public static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string TimeOf(DateTimeOffset at) => KoreaTime.ToKorea(at).ToString("HH:mm", CultureInfo.InvariantCulture);
}
