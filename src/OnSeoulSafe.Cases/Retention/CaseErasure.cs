using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Retention;

/// <summary>
/// Erases a case in place: everything that could identify the victim goes (narrative, amendments, messages, contact
/// details, nickname, links and their hashes, timeline notes and places, referral notes, linked monitor reports,
/// evidence hashes, hash bank entries); the case row keeps its status, dates, crime types and outcome, and tracks, content steps and
/// deletion requests stay, so every dashboard figure stays as it was. Only adds changes to the context: the caller
/// saves them together with its access-log row.
/// </summary>
public static class CaseErasure
{
    public static async Task<Case> EraseAsync(PortalDbContext db, long caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var @case = await db.Cases
            .Include(c => c.Victim)
            .Include(c => c.Narrative)
            .Include(c => c.Amendments)
            .Include(c => c.Messages)
            .Include(c => c.ContentItems)
            .Include(c => c.Timeline)
            .Include(c => c.Tracks)
            .Include(c => c.Guardians)
            .AsSplitQuery()
            .SingleAsync(c => c.Id == caseId, cancellationToken);
        @case.Erase(now);
        foreach (var referral in await db.Referrals.Where(r => r.CaseId == caseId).ToListAsync(cancellationToken)) referral.Erase();
        foreach (var report in await db.MonitorReports.Where(r => r.CaseId == caseId).ToListAsync(cancellationToken)) report.Erase();
        db.EvidenceHashes.RemoveRange(await db.EvidenceHashes.Where(h => h.CaseId == caseId).ToListAsync(cancellationToken));
        db.HashMatches.RemoveRange(await db.HashMatches.Where(h => h.CaseId == caseId).ToListAsync(cancellationToken));
        // The hash bank goes with the case, whoever supplied the hashes (a linked monitor report's included).
        db.HashBankEntries.RemoveRange(await db.HashBankEntries.Where(h => h.CaseId == caseId).ToListAsync(cancellationToken));
        // Copies monitoring found keep their kind, distance and dates for the statistics, not the hash or the reason typed.
        foreach (var match in await db.MonitoringMatches.Where(m => m.CaseId == caseId).ToListAsync(cancellationToken)) match.Erase();
        return @case;
    }
}
