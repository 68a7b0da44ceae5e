using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Retention;

/// <summary>
/// One pass of the retention job: closed and withdrawn cases whose retention period has run out are erased in place
/// (<see cref="CaseErasure"/>). The case rows stay, with only their statistical columns, so the dashboards do not
/// change; each erasure is saved with its access-log row.
/// </summary>
public sealed class RetentionRunner(PortalDbContext db, TimeProvider clock, IOptions<RetentionOptions> options)
{
    /// <summary>Actor role in the access log for erasures the retention period made.</summary>
    public const string ActorRole = "Retention";

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-settings.ClosedCaseDays);
        var due = await db.Cases.AsNoTracking()
            .Where(c => (c.Status == CaseStatus.Closed || c.Status == CaseStatus.Withdrawn) && c.ClosedAt < cutoff && c.ErasedAt == null)
            .OrderBy(c => c.ClosedAt)
            .Select(c => c.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        foreach (var caseId in due)
        {
            db.ChangeTracker.Clear();
            await CaseErasure.EraseAsync(db, caseId, now, cancellationToken);
            CaseAccessLog.Record(db, now, staffId: null, ActorRole, caseId, AccessAction.Edit, "Retention/ClosedCase");
            await db.SaveChangesAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
        return due.Count;
    }
}
