using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Notices;

/// <summary>Links on one step of the ladder, and those overdue, per platform (for the dashboard).</summary>
public sealed record LadderCount(int? PlatformId, string? Platform, EscalationStep Step, int Items, int Overdue);

/// <summary>
/// The escalation ladder's timer: a requested link whose platform has not removed it when the platform's deadline
/// passed (counted from the verified time of the notice) climbs one step: a second notice (queued in the outbox for a
/// platform the portal sends to), then a prepared report to the regulator (KCSC) that a person sends and records, then,
/// once the regulator's time has passed too, the investigation track (police). Each step is an event on the link's
/// ledger, which the victim sees on <c>/status</c>. Times come from the <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class EscalationLadder(PortalDbContext db, NoticeOptions options, TimeProvider clock, ILogger<EscalationLadder> logger)
{
    /// <summary>Moves every link that is due one step up; returns how many moved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken, int batch = 100)
    {
        var now = clock.GetUtcNow();
        var due = await db.ContentItems.Include(c => c.Platform).Include(c => c.Requests)
            .Where(c => c.EscalationDueAt != null && c.EscalationDueAt <= now)
            .Where(c => c.Status == ContentStatus.Requested || c.Status == ContentStatus.Refused || c.Status == ContentStatus.NoResponse)
            .OrderBy(c => c.EscalationDueAt).ThenBy(c => c.Id)
            .Take(batch)
            .ToListAsync(cancellationToken);
        foreach (var item in due)
        {
            var platform = item.Platform;
            var deadline = item.EscalationStep == EscalationStep.RegulatorReported ? options.RegulatorDeadline : platform?.RemovalDeadline ?? Platform.DefaultRemovalDeadline;
            var sends = platform?.SendsNotices == true;
            var step = item.ClimbLadder(now, sends ? null : now, deadline);
            if (step == EscalationStep.SecondNotice && sends && item.Requests.OrderBy(r => r.RequestedAt).LastOrDefault() is { } request
                && !await db.DeletionNotices.AnyAsync(n => n.DeletionRequestId == request.Id && n.Step == NoticeStep.Second, cancellationToken))
            {
                db.DeletionNotices.Add(new DeletionNotice(request, item, platform!, NoticeStep.Second, now));
            }
            if (item.CaseId is { } caseId) CaseAccessLog.Record(db, now, staffId: null, NoticeSender.ActorRole, caseId, AccessAction.Edit, "Ladder/" + step);
            await db.SaveChangesAsync(cancellationToken);
            LogStep(logger, item.Id, step.ToString());
        }
        return due.Count;
    }

    /// <summary>Open links per platform and step, and how many of them are past their deadline.</summary>
    public async Task<IReadOnlyList<LadderCount>> CountsAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.ContentItems.AsNoTracking()
            .Where(c => c.EscalationStep != EscalationStep.None)
            .Where(c => c.Status == ContentStatus.Requested || c.Status == ContentStatus.Refused || c.Status == ContentStatus.NoResponse)
            .GroupBy(c => new { c.PlatformId, Platform = c.Platform == null ? null : c.Platform.Name, c.EscalationStep })
            .Select(g => new LadderCount(g.Key.PlatformId, g.Key.Platform, g.Key.EscalationStep, g.Count(), g.Count(c => c.EscalationDueAt != null && c.EscalationDueAt <= now)))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Platform).ThenBy(r => r.Step).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Escalation: item {ItemId} moved to {Step}")]
    private static partial void LogStep(ILogger logger, long itemId, string step);
}
