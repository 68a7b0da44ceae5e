using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Hashing;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>Counts from one pass of the re-check job (for the log: never a link).</summary>
public sealed record RecheckSummary(int Checked, int Gone, int StillUp, int Reappeared, int Unreachable, int Refused, int HashMatches);

/// <summary>
/// One pass of the re-check job: the links due for a check (requested, deleted, refused, no response, verified gone)
/// are fetched through <see cref="LinkProbe"/> and the result recorded on the item. A deleted link served again
/// becomes Reappeared; a body whose SHA-256 equals the item's known file hash is recorded as a hash match, and the
/// same file held as evidence on other cases flags those cases too and puts the link on their ledgers, found by the
/// re-check (<see cref="ContentFinder.RecheckJob"/>), so it is requested there as well (at once for a minor).
/// A served picture is also hashed perceptually (PDQ and its eight dihedrals, in memory, never stored) and matched
/// against the hash bank's index: a changed copy of another case's picture or video frame within distance 31 does the
/// same, and the flag records the hash kind and the distance.
/// </summary>
public sealed class RecheckRunner(
    PortalDbContext db,
    LinkProbe probe,
    EvidenceHashes evidence,
    ContentLedger ledger,
    PerceptualMatches perceptual,
    TimeProvider clock,
    IOptions<RecheckOptions> options,
    ILogger<RecheckRunner> logger)
{
    /// <summary>The actor the access log names for the job's changes to a case.</summary>
    public const string ActorRole = "Recheck";

    public async Task<RecheckSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var dueBefore = clock.GetUtcNow() - settings.RecheckAfter;
        var due = await db.ContentItems
            .Include(c => c.Platform)
            .Include(c => c.Requests)
            .Where(c => c.Status == ContentStatus.Requested || c.Status == ContentStatus.Deleted || c.Status == ContentStatus.Refused
                || c.Status == ContentStatus.NoResponse || c.Status == ContentStatus.VerifiedGone)
            .Where(c => c.LastCheckedAt == null || c.LastCheckedAt <= dueBefore)
            .OrderBy(c => c.LastCheckedAt ?? c.FirstSeenAt)
            .ThenBy(c => c.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);

        int gone = 0, stillUp = 0, reappeared = 0, unreachable = 0, refused = 0, matches = 0;
        foreach (var item in due)
        {
            // An erased link has nothing left to fetch; recording a refusal keeps it from blocking the queue.
            var result = item.Url.Length == 0
                ? new ProbeResult(RecheckOutcome.Refused, "erased", null, 0, 0, false, null)
                : await probe.ProbeAsync(item.Url, item.Platform?.RemovedPageMarker, cancellationToken);
            var now = clock.GetUtcNow();
            bool? hashMatched = item.Sha256 is not null && result.BodySha256 is not null ? result.BodySha256 == item.Sha256 : null;
            var before = item.Status;
            item.ApplyRecheck(result.Outcome, hashMatched, now);
            if (before != ContentStatus.Reappeared && item.Status == ContentStatus.Reappeared) reappeared++;
            switch (result.Outcome)
            {
                case RecheckOutcome.Gone: gone++; break;
                case RecheckOutcome.StillUp: stillUp++; break;
                case RecheckOutcome.Unreachable: unreachable++; break;
                case RecheckOutcome.Refused: refused++; break;
            }
            if (hashMatched == true) matches++;
            if (result.BodySha256 is { } served)
            {
                var flagged = await FlagServedFileAsync(item, served, now, cancellationToken);
                if (result.Picture is { } picture)
                {
                    await FlagServedPictureAsync(item, served, picture, flagged, now, cancellationToken);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        var summary = new RecheckSummary(due.Count, gone, stillUp, reappeared, unreachable, refused, matches);
        if (due.Count > 0)
        {
            logger.LogInformation(
                "Re-check pass: {Checked} checked, {Gone} gone, {StillUp} still up, {Reappeared} reappeared, {Unreachable} unreachable, {Refused} refused, {HashMatches} hash matches",
                summary.Checked, summary.Gone, summary.StillUp, summary.Reappeared, summary.Unreachable, summary.Refused, summary.HashMatches);
        }
        return summary;
    }

    /// <summary>
    /// The served file is evidence on other cases: flag each of them, and the item's own case, without naming either;
    /// the link serves the other victims' file too, so it joins their ledgers.
    /// </summary>
    private async Task<IReadOnlyList<long>> FlagServedFileAsync(ContentItem item, string sha256, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var others = await evidence.OtherCasesHoldingAsync(sha256, item.CaseId, cancellationToken);
        if (others.Count == 0) return others;
        foreach (var other in others)
        {
            await evidence.FlagAsync(other, sha256, HashMatchSource.RecheckJob, now, cancellationToken);
            if (item.Url.Length > 0 && await ledger.AddFoundOnlineAsync(other, new NewLink(item.Url, item.Kind, item.PlatformId, sha256), cancellationToken))
            {
                CaseAccessLog.Record(db, now, staffId: null, ActorRole, other, AccessAction.Edit, "Recheck/FoundOnline");
            }
        }
        if (item.CaseId is { } own)
        {
            await evidence.FlagAsync(own, sha256, HashMatchSource.AnotherCase, now, cancellationToken);
        }
        return others;
    }

    /// <summary>
    /// The served picture, hashed in memory, is a changed copy of a picture (or video frame) in other cases' banks:
    /// those cases are flagged with the kind and distance and get the link on their ledgers, as for an exact match.
    /// Cases already flagged by the exact SHA-256 are left as they are. A picture that cannot be hashed, or whose
    /// hash is too unreliable (quality under 50), matches nothing.
    /// </summary>
    private async Task FlagServedPictureAsync(ContentItem item, string sha256, byte[] picture, IReadOnlyList<long> exactly, DateTimeOffset now, CancellationToken cancellationToken)
    {
        PdqImageHash hashed;
        try
        {
            hashed = PdqImage.Hash(picture, dihedrals: true);
        }
        catch (HashingException)
        {
            return;
        }
        var matches = await perceptual.CasesMatchingAsync(hashed.Dihedrals!.ToArray(), hashed.Quality, item.CaseId, cancellationToken);
        foreach (var match in matches.Where(m => !exactly.Contains(m.CaseId)))
        {
            await evidence.FlagPerceptualAsync(match.CaseId, sha256, HashMatchSource.RecheckJob, match, now, cancellationToken);
            if (item.Url.Length > 0 && await ledger.AddFoundOnlineAsync(match.CaseId, new NewLink(item.Url, item.Kind, item.PlatformId, sha256), cancellationToken))
            {
                CaseAccessLog.Record(db, now, staffId: null, ActorRole, match.CaseId, AccessAction.Edit, "Recheck/FoundOnline");
            }
        }
    }
}
