using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure.CaseAccess;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// "My cases": the cases assigned to the signed-in companion, and those where a colleague handed them a service
/// track (they answer for that service, so they see the case). The list shows each case's safe-contact
/// preferences, so, as on the agenda, every case listed is logged as read (one row each, one save).
/// </summary>
public sealed class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(
        long CaseId,
        string Reference,
        CasePriority Priority,
        CaseStatus Status,
        bool IsMinor,
        DateTimeOffset? LastContactAt,
        DateTimeOffset? AssignedAt,
        DateTimeOffset? NextAppointment,
        ContactChannel Channel,
        TimeOnly? SafeFrom,
        TimeOnly? SafeUntil,
        bool VoicemailSafe,
        int ReappearedLinks,
        bool AssignedToMe,
        List<ServiceTrackKind> HeldTracks,
        bool SelfHarmRisk,
        int UnreadMessages);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync()
    {
        Now = clock.GetUtcNow();
        var me = CaseAccessHandler.StaffIdOf(User);
        var now = Now;
        var cancellationToken = HttpContext.RequestAborted;
        var rows = await db.Cases.AsNoTracking()
            .Where(c => (c.AssignedCompanionId == me || c.Tracks.Any(t => t.ResponsibleStaffId == me))
                && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn)
            .Select(c => new Row(
                c.Id, c.Reference, c.Priority, c.Status, c.IsMinor, c.LastContactAt, c.AssignedAt,
                c.Timeline.Where(e => e.Kind == TimelineEventKind.Appointment && e.OccurredAt >= now).Min(e => (DateTimeOffset?)e.OccurredAt),
                c.SafeContact.Channel, c.SafeContact.SafeFrom, c.SafeContact.SafeUntil, c.SafeContact.VoicemailSafe,
                db.ContentItems.Count(i => i.CaseId == c.Id && i.Status == ContentStatus.Reappeared),
                c.AssignedCompanionId == me,
                c.Tracks.Where(t => t.ResponsibleStaffId == me).Select(t => t.Kind).ToList(),
                c.Risk.SelfHarmThoughts,
                c.Messages.Count(m => m.Sender == MessageSender.Victim && m.ReadAt == null)))
            .ToListAsync(cancellationToken);
        // Content back online after deletion needs the companion first.
        Rows = rows.OrderByDescending(r => r.ReappearedLinks > 0).ThenBy(r => CaseFiles.PriorityRank(r.Priority)).ThenBy(r => r.LastContactAt ?? r.AssignedAt).ToList();

        foreach (var row in Rows)
        {
            var role = CaseAccessHandler.ActorRoleOf(User, row.AssignedToMe ? me : null);
            CaseAccessLog.Record(db, now, me, role, row.CaseId, AccessAction.View, CaseAccessLog.MyCasesList);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Whole days since the last contact; null when nobody has contacted the victim yet.</summary>
    public int? DaysSinceContact(Row row) =>
        row.LastContactAt is { } since ? (int)Math.Floor((Now - since).TotalDays) : null;
}
