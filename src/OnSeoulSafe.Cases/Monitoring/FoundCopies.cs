using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>What monitoring did with one match: nothing new, a new ledger entry, a reappearance; and whether it was requested or waits.</summary>
public sealed record FoundCopy(bool Changed, bool Added, bool Reappeared, MatchDecision Decision);

/// <summary>
/// Puts a copy monitoring found on the matched case's ledger, found by monitoring, and decides who acts on it. The same
/// address found again is the same ledger entry; a copy found again after its deletion is a reappearance, which opens a
/// new request. A minor's copy, or a copy of a victim who allowed it, is requested at once through the ledger's own
/// deletion-request path (a dated request a notice sender picks up); otherwise, or when the match is beyond the
/// center's automatic distance or its hash under the quality cut-off, it waits for the companion's review. Every change
/// to a case writes its access-log row in the caller's save.
/// </summary>
public sealed class FoundCopies(PortalDbContext db, ContentLedger ledger, TimeProvider clock, IOptions<MonitoringOptions> options)
{
    /// <summary>The note a reappearance found by monitoring carries on the item's history (the dashboard counts it).</summary>
    public const string ReappearedNote = "monitoring";

    public async Task<FoundCopy> RecordAsync(FingerprintMatch match, string address, int? platformId, MediaKind kind, MediaFingerprint fingerprint, CancellationToken cancellationToken)
    {
        var nothing = new FoundCopy(false, false, false, MatchDecision.Waiting);
        var @case = await db.Cases.Include(c => c.Consents).SingleOrDefaultAsync(c => c.Id == match.CaseId, cancellationToken);
        if (@case is null || !@case.IsOpen) return nothing;
        var now = clock.GetUtcNow();
        var link = new NewLink(address, kind == MediaKind.Video ? ContentKind.Video : ContentKind.Image, platformId, fingerprint.Sha256);
        var result = await ledger.AddLinksAsync(@case, [link], ContentFinder.Monitoring, null, cancellationToken);
        if (result.Entries.SingleOrDefault() is not { } entry) return nothing;
        var item = entry.Item;
        if (fingerprint.PictureHex is { } pdq) item.SetHashes(null, pdq);

        var found = entry.Merged && item.Id != 0
            ? await db.MonitoringMatches.SingleOrDefaultAsync(m => m.ContentItemId == item.Id, cancellationToken)
            : null;
        var reappeared = false;
        bool decide;
        if (found is null)
        {
            found = new MonitoringMatch(item, @case.Id, match.Kind, match.Distance, match.Quality, match.MatchedHash, now);
            db.MonitoringMatches.Add(found);
            decide = ContentLedger.Requestable.Contains(item.Status);
        }
        else
        {
            found.FoundAgain(match.Kind, match.Distance, match.Quality, match.MatchedHash, now);
            if (item.Status is ContentStatus.Deleted or ContentStatus.VerifiedGone)
            {
                // The request that got it removed is marked as the one the copy came back after.
                await db.Entry(item).Collection(i => i.Requests).LoadAsync(cancellationToken);
                reappeared = item.FoundOnlineAgain(now, ReappearedNote);
            }
            // A copy already waiting or dismissed is not asked about twice; one that came back is decided afresh.
            decide = reappeared;
        }

        if (decide)
        {
            var why = MonitoringMatch.WhyNotAutomatic(found.Distance, found.Quality, options.Value.AutomaticMaxDistance, item.PlatformId is not null,
                @case.IsMinor || item.IsMinor, @case.AllowsAutomaticRequests);
            if (why is { } reason)
            {
                found.Wait(reason);
            }
            else
            {
                await ledger.RequestFoundAsync(@case, item, options.Value.RequestLanguage, cancellationToken);
                found.RequestedAutomatically(now);
            }
        }
        // A copy seen again where it was only moves its "last found" time: nothing about the case changed.
        if (!entry.Merged || reappeared)
        {
            CaseAccessLog.Record(db, now, staffId: null, MonitoringCrawl.ActorRole, @case.Id, AccessAction.Edit, reappeared ? "Monitoring/Reappeared" : "Monitoring/Found");
        }
        return new FoundCopy(true, !entry.Merged, reappeared, found.Decision);
    }
}
