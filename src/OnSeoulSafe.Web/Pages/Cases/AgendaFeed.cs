using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// The calendar feed (ICS, RFC 5545) of one staff member, at a secret address a calendar app subscribes to without
/// signing in. Each event names the case number and the kind of date only: never a place, a note or a name. An
/// unknown, revoked or malformed token, or a disabled account, gets the same 404.
/// </summary>
public static class AgendaFeed
{
    public const string Prefix = "/calendar/";

    /// <summary>How far back and ahead the feed reaches.</summary>
    public static readonly TimeSpan Behind = TimeSpan.FromDays(30), Ahead = TimeSpan.FromDays(180);

    public static string PathFor(string token) => Prefix + token + ".ics";

    public static void MapCalendarFeeds(this WebApplication app) =>
        app.MapGet(Prefix + "{token}.ics", ServeAsync).AllowAnonymous();

    private static async Task<IResult> ServeAsync(string token, PortalDbContext db, TimeProvider clock, IStringLocalizer<CasesText> text, HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        if (!CalendarFeed.LooksLikeToken(token)) return Results.NotFound();
        var hash = CalendarFeed.HashOf(token);
        var staffId = await (
                from f in db.CalendarFeeds
                join u in db.Users on f.StaffId equals u.Id
                where f.TokenHash == hash && f.RevokedAt == null && u.IsActive
                select (Guid?)f.StaffId)
            .SingleOrDefaultAsync(cancellationToken);
        // Looked up by the SHA-256 of a 256-bit random token: nothing to learn from timing, nothing to guess.
        if (staffId is not { } me) return Results.NotFound();

        var now = clock.GetUtcNow();
        var since = now - Behind;
        var until = now + Ahead;
        var dates = await (
                from e in db.TimelineEvents.AsNoTracking()
                join c in db.Cases on e.CaseId equals c.Id
                where c.AssignedCompanionId == me && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn
                    && TimelineEvent.WithTheVictim.Contains(e.Kind) && e.OccurredAt >= since && e.OccurredAt < until
                orderby e.OccurredAt, e.Id
                select new { e.Id, CaseId = c.Id, c.Reference, e.Kind, e.OccurredAt, e.DurationMinutes })
            .ToListAsync(cancellationToken);

        // The feed shows case numbers and dates from the files: each case listed is logged as read, as on the agenda.
        foreach (var caseId in dates.Select(d => d.CaseId).Distinct())
        {
            CaseAccessLog.Record(db, now, me, StaffRoles.Companion, caseId, AccessAction.View, CaseAccessLog.AgendaList);
        }
        await db.SaveChangesAsync(cancellationToken);

        var ics = new StringBuilder();
        void Line(string value) => ics.Append(value).Append("\r\n");
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//On Seoul Safe//Agenda//KO");
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:PUBLISH");
        foreach (var date in dates)
        {
            var end = date.OccurredAt.AddMinutes(date.DurationMinutes is int minutes and > 0 ? minutes : 60);
            Line("BEGIN:VEVENT");
            Line($"UID:timeline-{date.Id.ToString(CultureInfo.InvariantCulture)}@onseoulsafe");
            Line("DTSTAMP:" + Utc(now));
            Line("DTSTART:" + Utc(date.OccurredAt));
            Line("DTEND:" + Utc(end));
            Line("SUMMARY:" + Escape($"{date.Reference} · {text[CaseLabels.Of(date.Kind)]}"));
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(ics.ToString(), "text/calendar; charset=utf-8", Encoding.UTF8);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal);
}
