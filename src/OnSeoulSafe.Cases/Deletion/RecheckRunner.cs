using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Monitoring;
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

    /// <summary>
    /// One pass in this process, without the queue: up to <see cref="RecheckOptions.BatchSize"/> due links checked one
    /// after another. The job itself schedules due links onto the shared work queue (<see cref="ScheduleDueAsync"/>)
    /// and the queue's workers check them (<see cref="CheckQueuedAsync"/>); both record a check the same way.
    /// </summary>
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

        var tally = new Tally();
        foreach (var item in due)
        {
            // An erased link has nothing left to fetch; recording a refusal keeps it from blocking the queue.
            var result = item.Url.Length == 0
                ? Erased
                : await probe.ProbeAsync(item.Url, item.Platform?.RemovedPageMarker, cancellationToken);
            await RecordAsync(item, result, tally, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        var summary = new RecheckSummary(due.Count, tally.Gone, tally.StillUp, tally.Reappeared, tally.Unreachable, tally.Refused, tally.Matches);
        if (due.Count > 0)
        {
            logger.LogInformation(
                "Re-check pass: {Checked} checked, {Gone} gone, {StillUp} still up, {Reappeared} reappeared, {Unreachable} unreachable, {Refused} refused, {HashMatches} hash matches",
                summary.Checked, summary.Gone, summary.StillUp, summary.Reappeared, summary.Unreachable, summary.Refused, summary.HashMatches);
        }
        return summary;
    }

    /// <summary>
    /// Puts up to <paramref name="max"/> due links on the shared work queue, oldest check first, as link checks keyed by
    /// the link's fingerprint (never the link itself: the queue is not encrypted): one waiting check per address, however
    /// many ledgers hold it. Links already waiting or in hand are passed over, so each pass reaches further into a
    /// backlog. Reads ids, fingerprints and hosts only, never whole cases. Returns how many were queued.
    /// </summary>
    public async Task<int> ScheduleDueAsync(WorkQueue queue, int max, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var dueBefore = now - options.Value.RecheckAfter;
        string[] statuses = [nameof(ContentStatus.Requested), nameof(ContentStatus.Deleted), nameof(ContentStatus.Refused),
            nameof(ContentStatus.NoResponse), nameof(ContentStatus.VerifiedGone)];
        var ids = await db.Database.SqlQuery<long>($"""
            SELECT c."Id" AS "Value" FROM "ContentItems" c
            WHERE c."Status" = ANY({statuses}) AND (c."LastCheckedAt" IS NULL OR c."LastCheckedAt" <= {dueBefore})
              AND NOT EXISTS (SELECT 1 FROM "MonitoringWork" w
                              WHERE w."Kind" = 'LinkCheck' AND w."DeadAt" IS NULL AND w."Address" = 'link:' || encode(c."UrlFingerprint", 'hex'))
            ORDER BY COALESCE(c."LastCheckedAt", c."FirstSeenAt"), c."Id"
            LIMIT {max}
            """).ToListAsync(cancellationToken);
        if (ids.Count == 0) return 0;
        var links = await db.ContentItems.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Url, c.UrlFingerprint }).ToListAsync(cancellationToken);
        var work = links.Select(l => new WorkToQueue(MonitoringWorkKind.LinkCheck, LinkCheckAddress(l.UrlFingerprint),
                MonitoringSource.HostKeyOf(l.Url) ?? NoHost, null, 0))
            .DistinctBy(w => w.Address).ToList();
        var queued = await queue.EnqueueAsync(work, now, cancellationToken,
            new HostLimits("", options.Value.HostMinimumDelay, Math.Max(1, options.Value.HostMaxConcurrency)));
        if (queued > 0) logger.LogInformation("Re-check pass: {Queued} links queued", queued);
        return queued;
    }

    /// <summary>The queue's address of a link check: the link's keyed fingerprint, so the queue never holds the link.</summary>
    public static string LinkCheckAddress(byte[] urlFingerprint) => LinkCheckPrefix + Convert.ToHexStringLower(urlFingerprint);

    /// <summary>The host key of links that name no host (an erased link): they are answered without a fetch.</summary>
    public const string NoHost = "-";

    private const string LinkCheckPrefix = "link:";

    /// <summary>
    /// One link check taken from the shared queue: the link is fetched once and the result recorded on every ledger
    /// entry holding it that is still due (a check made meanwhile is not repeated). The reason word is the outcome.
    /// </summary>
    public async Task<CrawlStep> CheckQueuedAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        if (!work.Address.StartsWith(LinkCheckPrefix, StringComparison.Ordinal)) return new CrawlStep(StepResult.Park, "not-a-link-check");
        byte[] fingerprint;
        try
        {
            fingerprint = Convert.FromHexString(work.Address.AsSpan(LinkCheckPrefix.Length));
        }
        catch (FormatException)
        {
            return new CrawlStep(StepResult.Park, "not-a-link-check");
        }
        var dueBefore = clock.GetUtcNow() - options.Value.RecheckAfter;
        var items = await db.ContentItems
            .Include(c => c.Platform)
            .Include(c => c.Requests)
            .Where(c => c.UrlFingerprint == fingerprint)
            .Where(c => c.Status == ContentStatus.Requested || c.Status == ContentStatus.Deleted || c.Status == ContentStatus.Refused
                || c.Status == ContentStatus.NoResponse || c.Status == ContentStatus.VerifiedGone)
            .Where(c => c.LastCheckedAt == null || c.LastCheckedAt <= dueBefore)
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        if (items.Count == 0) return new CrawlStep(StepResult.Done, "not-due");
        var url = items[0].Url;
        var result = url.Length == 0
            ? Erased
            : await probe.ProbeAsync(url, items.Select(i => i.Platform?.RemovedPageMarker).FirstOrDefault(m => m is not null), cancellationToken);
        var tally = new Tally();
        foreach (var item in items) await RecordAsync(item, result, tally, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new CrawlStep(StepResult.Done, result.Outcome.ToString().ToLowerInvariant(), Matches: tally.Matches);
    }

    private static readonly ProbeResult Erased = new(RecheckOutcome.Refused, "erased", null, 0, 0, false, null);

    /// <summary>Counts of a pass, for its summary.</summary>
    private sealed class Tally
    {
        public int Gone, StillUp, Reappeared, Unreachable, Refused, Matches;
    }

    /// <summary>What one fetch of a link showed, recorded on one ledger entry holding it (and flagged on other cases).</summary>
    private async Task RecordAsync(ContentItem item, ProbeResult result, Tally tally, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        bool? hashMatched = item.Sha256 is not null && result.BodySha256 is not null ? result.BodySha256 == item.Sha256 : null;
        var before = item.Status;
        item.ApplyRecheck(result.Outcome, hashMatched, now);
        if (before != ContentStatus.Reappeared && item.Status == ContentStatus.Reappeared) tally.Reappeared++;
        switch (result.Outcome)
        {
            case RecheckOutcome.Gone: tally.Gone++; break;
            case RecheckOutcome.StillUp: tally.StillUp++; break;
            case RecheckOutcome.Unreachable: tally.Unreachable++; break;
            case RecheckOutcome.Refused: tally.Refused++; break;
        }
        if (hashMatched == true) tally.Matches++;
        if (result.BodySha256 is { } served)
        {
            var flagged = await FlagServedFileAsync(item, served, now, cancellationToken);
            if (result.Picture is { } picture)
            {
                await FlagServedPictureAsync(item, served, picture, flagged, now, cancellationToken);
            }
        }
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
