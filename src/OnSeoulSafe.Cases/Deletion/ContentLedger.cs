using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Cases.Deletion;

/// <summary>A link someone asks to add to a ledger, as typed (it is normalised here).</summary>
public sealed record NewLink(string Url, ContentKind Kind, int? PlatformId = null, string? Sha256 = null);

/// <summary>What became of one link: a new item, or merged into the item already holding the same link.</summary>
public sealed record LedgerEntry(ContentItem Item, bool Merged);

/// <summary>Added or merged items, and the positions (in the input) of links that were not http(s) links.</summary>
public sealed record AddLinksResult(IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<int> Rejected)
{
    public int AddedCount => Entries.Count(e => !e.Merged);
    public int MergedCount => Entries.Count(e => e.Merged);
}

/// <summary>The request text for one platform and the items it covers.</summary>
public sealed record PlatformRequest(Platform Platform, IReadOnlyList<ContentItem> Items, string Text);

/// <summary>Requests made in one go, and the items left out because their platform is unknown.</summary>
public sealed record RequestBatch(IReadOnlyList<PlatformRequest> Requests, IReadOnlyList<ContentItem> WithoutPlatform)
{
    public int RequestedCount => Requests.Sum(r => r.Items.Count);
}

/// <summary>One row of a case's ledger, ready for a page: never the victim's data beyond the link itself.</summary>
public sealed record LedgerRow(
    long Id,
    string Url,
    string? PlatformName,
    ContentKind Kind,
    ContentFinder FoundBy,
    bool IsMinor,
    ContentStatus Status,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset StatusChangedAt,
    DateTimeOffset? LastCheckedAt,
    RecheckOutcome? LastCheckOutcome,
    bool? LastCheckHashMatched,
    bool HasFileHash);

/// <summary>One item waiting for a deletion request, across cases. No link and no victim data: the ledger shows those.</summary>
public sealed record QueuedItem(
    long ItemId,
    long? CaseId,
    string? CaseReference,
    Guid? AssignedCompanionId,
    string? PlatformName,
    ContentKind Kind,
    ContentStatus Status,
    bool IsMinor,
    bool Proactive,
    DateTimeOffset Since);

/// <summary>
/// The per-link deletion ledger of a case: adding links (normalised, fingerprinted, duplicates merged), requesting
/// deletion one by one or in bulk, recording platforms' answers, and the request queue with minors first.
/// Methods change tracked entities and leave <c>SaveChangesAsync</c> to the caller, so a page saves the change and
/// its access-log row together.
/// </summary>
public sealed class ContentLedger(PortalDbContext db, Fingerprints fingerprints, TimeProvider clock)
{
    /// <summary>Statuses a link is requested from: newly found, or back online after deletion.</summary>
    public static readonly IReadOnlyList<ContentStatus> Requestable = [ContentStatus.Found, ContentStatus.Reappeared];

    /// <summary>Adds links to a case; a link already on the case (or repeated in the input) is merged into one item.</summary>
    public async Task<AddLinksResult> AddLinksAsync(Case @case, IReadOnlyList<NewLink> links, ContentFinder foundBy, Guid? staffId, CancellationToken cancellationToken)
    {
        var result = await AddAsync(@case.Id, @case.IsMinor, links, foundBy, cancellationToken);
        var added = result.AddedCount;
        if (added > 0)
        {
            @case.Record(TimelineEventKind.ContentAdded, clock.GetUtcNow(), staffId, ServiceTrackKind.Deletion, added.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return result;
    }

    /// <summary>
    /// A link the re-check job found serving a file held on an open case: added to that case's ledger as found by the
    /// re-check (merged when the link is there already). True when a new item was added.
    /// </summary>
    public async Task<bool> AddFoundOnlineAsync(long caseId, NewLink link, CancellationToken cancellationToken)
    {
        var @case = await db.Cases.SingleAsync(c => c.Id == caseId, cancellationToken);
        if (!@case.IsOpen) return false;
        var result = await AddLinksAsync(@case, [link], ContentFinder.RecheckJob, null, cancellationToken);
        return result.AddedCount > 0;
    }

    /// <summary>
    /// A case-less item (unknown victim, typically from a citizen monitor's report): it goes straight into the request
    /// queue. The same link already case-less is merged.
    /// </summary>
    public async Task<LedgerEntry?> AddCaselessAsync(NewLink link, ContentFinder foundBy, bool concernsMinor, CancellationToken cancellationToken)
    {
        var result = await AddAsync(null, concernsMinor, [link], foundBy, cancellationToken);
        return result.Entries.SingleOrDefault();
    }

    private async Task<AddLinksResult> AddAsync(long? caseId, bool isMinor, IReadOnlyList<NewLink> links, ContentFinder foundBy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var normalised = links.Select(l => ContentLinks.Normalise(l.Url)).ToList();
        var rejected = normalised.Select((n, i) => (n, i)).Where(x => x.n is null).Select(x => x.i).ToList();
        var prints = normalised.Where(n => n is not null).Select(n => fingerprints.ContentUrl(n!)).ToList();

        var existing = await db.ContentItems
            .Where(c => c.CaseId == caseId && prints.Contains(c.UrlFingerprint))
            .ToListAsync(cancellationToken);
        existing.AddRange(db.ContentItems.Local.Where(c => c.CaseId == caseId && c.Id == 0 && prints.Any(p => p.SequenceEqual(c.UrlFingerprint))));
        var platforms = await db.Platforms.ToListAsync(cancellationToken);

        var entries = new List<LedgerEntry>();
        for (var i = 0; i < links.Count; i++)
        {
            if (normalised[i] is not { } url) continue;
            var link = links[i];
            var print = fingerprints.ContentUrl(url);
            var sha256 = EvidenceHash.IsSha256(link.Sha256) ? link.Sha256!.ToLowerInvariant() : null;
            var platformId = link.PlatformId is { } chosen && platforms.Any(p => p.Id == chosen)
                ? chosen
                : PlatformMatching.Find(platforms, url)?.Id;
            var item = existing.FirstOrDefault(e => e.UrlFingerprint.AsSpan().SequenceEqual(print));
            if (item is not null)
            {
                item.SetHashes(sha256, null);
                if (item.PlatformId is null && platformId is not null) item.AssignPlatform(platformId);
                if (entries.All(e => e.Item != item)) entries.Add(new LedgerEntry(item, Merged: true));
                continue;
            }
            item = new ContentItem(caseId, url, print, platformId, link.Kind, foundBy, isMinor, now);
            item.SetHashes(sha256, null);
            db.ContentItems.Add(item);
            existing.Add(item);
            entries.Add(new LedgerEntry(item, Merged: false));
        }
        return new AddLinksResult(entries, rejected);
    }

    /// <summary>
    /// Requests deletion of the chosen items of a case (all requestable items when <paramref name="itemIds"/> is null),
    /// one request text per platform. Items without a platform are returned so the companion can choose one.
    /// </summary>
    public async Task<RequestBatch> RequestDeletionAsync(Case @case, IReadOnlyCollection<long>? itemIds, string language, Guid staffId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var items = await db.ContentItems
            .Include(c => c.Platform)
            .Include(c => c.Requests)
            .Where(c => c.CaseId == @case.Id && (c.Status == ContentStatus.Found || c.Status == ContentStatus.Reappeared))
            .Where(c => itemIds == null || itemIds.Contains(c.Id))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        var requests = new List<PlatformRequest>();
        foreach (var group in items.Where(i => i.Platform is not null).GroupBy(i => i.Platform!))
        {
            var platform = group.Key;
            var text = DeletionRequestText.Compose(platform, language, @case.Reference, group.Select(i => i.Url).ToList(),
                DateOnly.FromDateTime(now.UtcDateTime), @case.IsMinor || group.Any(i => i.IsMinor), @case.NameForDeletionRequests);
            foreach (var item in group)
            {
                StartNotices(platform, item, item.RequestDeletion(platform.Id, platform.Channel, language, staffId, now), now);
            }
            requests.Add(new PlatformRequest(platform, group.ToList(), text));
            @case.Record(TimelineEventKind.DeletionRequested, now, staffId, ServiceTrackKind.Deletion, platform.Name);
        }
        return new RequestBatch(requests, items.Where(i => i.Platform is null).ToList());
    }

    /// <summary>
    /// A request starts the escalation ladder; on a platform the portal sends notices to, the first notice goes into the
    /// outbox (in the same SaveChanges) and the platform's time runs from when it is sent. Otherwise the companion sends
    /// the text and the time runs from the request.
    /// </summary>
    private void StartNotices(Platform platform, ContentItem item, DeletionRequest request, DateTimeOffset now)
    {
        item.StartLadder(platform.SendsNotices ? null : now, platform.RemovalDeadline);
        if (platform.SendsNotices) db.DeletionNotices.Add(new DeletionNotice(request, item, platform, NoticeStep.First, now));
    }

    /// <summary>
    /// Requests deletion of one item without a person (a copy monitoring found that may be requested at once): the
    /// same dated request and timeline entry as a companion's, with nobody named as the requester. The item must have
    /// a platform and be waiting for a request; the caller saves.
    /// </summary>
    public async Task<DeletionRequest> RequestFoundAsync(Case @case, ContentItem item, string language, CancellationToken cancellationToken)
    {
        var platform = item.PlatformId is { } id ? await db.Platforms.SingleOrDefaultAsync(p => p.Id == id, cancellationToken) : null;
        if (platform is null)
        {
            throw new DomainRuleException("content.no-platform", "Choose the platform before requesting deletion.");
        }
        var now = clock.GetUtcNow();
        var request = item.RequestDeletion(platform.Id, platform.Channel, language, staffId: null, now);
        @case.Record(TimelineEventKind.DeletionRequested, now, staffId: null, ServiceTrackKind.Deletion, platform.Name);
        StartNotices(platform, item, request, now);
        return request;
    }

    /// <summary>The reference a case-less item's request carries in place of a case reference.</summary>
    public static string CaselessReference(long itemId) => $"SDS-CL-{itemId:D6}";

    /// <summary>
    /// Requests deletion of a case-less item (unknown victim) on its platform, or on <paramref name="platformId"/> when
    /// none was matched. Null when no platform is known.
    /// </summary>
    public async Task<PlatformRequest?> RequestCaselessAsync(long itemId, int? platformId, string language, Guid staffId, CancellationToken cancellationToken)
    {
        var item = await db.ContentItems.Include(c => c.Platform).Include(c => c.Requests)
            .SingleOrDefaultAsync(c => c.Id == itemId && c.CaseId == null, cancellationToken)
            ?? throw new DomainRuleException("content.not-found", "There is no such case-less link.");
        var platform = platformId is { } chosen ? await db.Platforms.SingleOrDefaultAsync(p => p.Id == chosen, cancellationToken) : item.Platform;
        if (platform is null) return null;
        var now = clock.GetUtcNow();
        var text = DeletionRequestText.Compose(platform, language, CaselessReference(item.Id), [item.Url], DateOnly.FromDateTime(now.UtcDateTime), item.IsMinor, victimName: null);
        StartNotices(platform, item, item.RequestDeletion(platform.Id, platform.Channel, language, staffId, now), now);
        return new PlatformRequest(platform, [item], text);
    }

    /// <summary>The request text for the chosen items without recording a request (to preview before sending).</summary>
    public async Task<IReadOnlyList<PlatformRequest>> PreviewRequestAsync(Case @case, IReadOnlyCollection<long>? itemIds, string language, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var items = await db.ContentItems.AsNoTracking()
            .Include(c => c.Platform)
            .Where(c => c.CaseId == @case.Id && (c.Status == ContentStatus.Found || c.Status == ContentStatus.Reappeared) && c.PlatformId != null)
            .Where(c => itemIds == null || itemIds.Contains(c.Id))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return items.GroupBy(i => i.PlatformId)
            .Select(g => new PlatformRequest(g.First().Platform!, g.ToList(), DeletionRequestText.Compose(g.First().Platform!, language, @case.Reference,
                g.Select(i => i.Url).ToList(), DateOnly.FromDateTime(now.UtcDateTime), @case.IsMinor || g.Any(i => i.IsMinor), @case.NameForDeletionRequests)))
            .ToList();
    }

    /// <summary>Marks the platform's answer "deleted" on many requested items at once; returns how many changed.</summary>
    public async Task<int> MarkDeletedAsync(Case @case, IReadOnlyCollection<long> itemIds, Guid staffId, CancellationToken cancellationToken)
    {
        var items = await db.ContentItems
            .Include(c => c.Requests)
            .Where(c => c.CaseId == @case.Id && itemIds.Contains(c.Id) && c.Status == ContentStatus.Requested)
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var item in items)
        {
            item.RecordOutcome(ContentStatus.Deleted, staffId, now);
        }
        if (items.Count > 0)
        {
            @case.Record(TimelineEventKind.DeletionOutcome, now, staffId, ServiceTrackKind.Deletion, $"Deleted:{items.Count}");
        }
        return items.Count;
    }

    /// <summary>Records a platform's answer (deleted, refused, no response) to one item's open request; the domain refuses a wrong step.</summary>
    public async Task<ContentItem> RecordOutcomeAsync(Case @case, long itemId, ContentStatus outcome, Guid staffId, CancellationToken cancellationToken)
    {
        var item = await db.ContentItems
            .Include(c => c.Requests)
            .SingleOrDefaultAsync(c => c.CaseId == @case.Id && c.Id == itemId, cancellationToken)
            ?? throw new DomainRuleException("content.not-found", "There is no such link on this case.");
        var now = clock.GetUtcNow();
        item.RecordOutcome(outcome, staffId, now);
        @case.Record(TimelineEventKind.DeletionOutcome, now, staffId, ServiceTrackKind.Deletion, outcome.ToString());
        return item;
    }

    /// <summary>Someone checked a link of the case by hand and found it gone; the domain refuses a link not yet requested.</summary>
    public async Task<ContentItem> ConfirmGoneByHandAsync(Case @case, long itemId, Guid staffId, CancellationToken cancellationToken)
    {
        var item = await db.ContentItems
            .Include(c => c.Requests)
            .SingleOrDefaultAsync(c => c.CaseId == @case.Id && c.Id == itemId, cancellationToken)
            ?? throw new DomainRuleException("content.not-found", "There is no such link on this case.");
        var now = clock.GetUtcNow();
        item.ConfirmGoneByHand(staffId, now);
        @case.Record(TimelineEventKind.DeletionOutcome, now, staffId, ServiceTrackKind.Deletion, "VerifiedGone:by-hand");
        return item;
    }

    /// <summary>Case-less links with a request made, waiting for the platform's answer or a check, oldest first.</summary>
    public Task<List<ContentItem>> CaselessAwaitingAnswerAsync(int limit, CancellationToken cancellationToken) =>
        db.ContentItems.AsNoTracking().Include(c => c.Platform).Include(c => c.Requests)
            .Where(c => c.CaseId == null && (c.Status == ContentStatus.Requested || c.Status == ContentStatus.Deleted
                || c.Status == ContentStatus.Refused || c.Status == ContentStatus.NoResponse))
            .OrderBy(c => c.StatusChangedAt).Take(limit)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Records what a platform answered to a case-less request (from a monitor report), or that someone checked the
    /// link by hand and found it gone; false when there is no such case-less link.
    /// </summary>
    public async Task<bool> RecordCaselessOutcomeAsync(long itemId, ContentStatus outcome, Guid staffId, CancellationToken cancellationToken)
    {
        var item = await db.ContentItems.Include(c => c.Requests).SingleOrDefaultAsync(c => c.CaseId == null && c.Id == itemId, cancellationToken);
        if (item is null) return false;
        if (outcome == ContentStatus.VerifiedGone) item.ConfirmGoneByHand(staffId, clock.GetUtcNow());
        else item.RecordOutcome(outcome, staffId, clock.GetUtcNow());
        return true;
    }

    /// <summary>
    /// A case's ledger in the order a companion works it: reappeared links first, then links still to request
    /// (minors' first), then open requests, then the rest; oldest first within each.
    /// </summary>
    public async Task<IReadOnlyList<LedgerRow>> LedgerAsync(long caseId, CancellationToken cancellationToken)
    {
        var rows = await db.ContentItems.AsNoTracking()
            .Where(c => c.CaseId == caseId)
            .Select(c => new LedgerRow(c.Id, c.Url, c.Platform == null ? null : c.Platform.Name, c.Kind, c.FoundBy, c.IsMinor, c.Status,
                c.FirstSeenAt, c.StatusChangedAt, c.LastCheckedAt, c.LastCheckOutcome, c.LastCheckHashMatched, c.Sha256 != null))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => WorkOrder(r.Status)).ThenByDescending(r => r.IsMinor).ThenBy(r => r.StatusChangedAt).ToList();
    }

    /// <summary>Flags on a case: the same file was reported on another case or found online. Never names the other case.</summary>
    public async Task<IReadOnlyList<HashMatch>> HashMatchesAsync(long caseId, CancellationToken cancellationToken) =>
        await db.HashMatches.AsNoTracking().Where(m => m.CaseId == caseId).OrderByDescending(m => m.DetectedAt).ToListAsync(cancellationToken);

    /// <summary>
    /// Items waiting for a deletion request. An item enters the queue when the victim consented to deletion support;
    /// a minor's item (and a case-less one a manager opened) enters at once without waiting for anyone to ask
    /// (<see cref="QueuedItem.Proactive"/>). Minors first, then reappeared links, then oldest. Closed and withdrawn
    /// cases are left out. With <paramref name="companionId"/>, only the items of cases assigned to that companion.
    /// </summary>
    public async Task<IReadOnlyList<QueuedItem>> RequestQueueAsync(int limit, CancellationToken cancellationToken, Guid? companionId = null)
    {
        var rows = await (
            from item in db.ContentItems.AsNoTracking()
            join c in db.Cases on item.CaseId equals c.Id into cases
            from c in cases.DefaultIfEmpty()
            where (item.Status == ContentStatus.Found || item.Status == ContentStatus.Reappeared)
                && (c == null || (c.Status != CaseStatus.Withdrawn && c.Status != CaseStatus.Closed))
                && (companionId == null || (c != null && c.AssignedCompanionId == companionId))
            let minor = item.IsMinor || (c != null && c.IsMinor)
            let consented = c != null && db.Consents.Any(k => k.CaseId == c.Id && k.Track == ServiceTrackKind.Deletion && k.WithdrawnAt == null)
            where minor || consented || c == null
            // A copy monitoring found and the companion dismissed is not to be requested.
            where !db.MonitoringMatches.Any(m => m.ContentItemId == item.Id && m.Decision == MatchDecision.Dismissed)
            orderby minor descending, item.Status == ContentStatus.Reappeared descending, item.StatusChangedAt, item.Id
            select new QueuedItem(item.Id, item.CaseId, c == null ? null : c!.Reference, c == null ? null : c!.AssignedCompanionId,
                item.Platform == null ? null : item.Platform!.Name, item.Kind, item.Status, minor, !consented, item.StatusChangedAt))
            .Take(limit)
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Requests deletion of one queued item of a case: the ledger's own flow (one request text, a dated step, a
    /// timeline entry). Null when the item has no platform yet (chosen on the case's ledger).
    /// </summary>
    public async Task<PlatformRequest?> RequestQueuedAsync(Case @case, long itemId, string language, Guid staffId, CancellationToken cancellationToken)
    {
        var batch = await RequestDeletionAsync(@case, [itemId], language, staffId, cancellationToken);
        if (batch.WithoutPlatform.Count > 0) return null;
        return batch.Requests.SingleOrDefault()
            ?? throw new DomainRuleException("content.not-requestable", "This link is not waiting for a deletion request.");
    }

    /// <summary>The most links one request to a platform covers; the rest stay queued for the next.</summary>
    public const int PlatformRequestMaxLinks = 500;

    /// <summary>
    /// Requests deletion of every queued link on one platform, across cases, in one text (<see cref="DeletionRequestText.ComposeForMany"/>):
    /// the links the request queue lists for <paramref name="companionId"/> (the same rule, case-less links for
    /// managers included). Each link is requested as it would be one by one (its own dated request, its place on
    /// the ladder, its first notice in the outbox) and each case gets its timeline entry. The caller saves, so the
    /// whole batch and its access-log rows are one transaction. Null when no link of the platform is waiting.
    /// </summary>
    public async Task<PlatformRequest?> RequestPlatformAsync(int platformId, Guid? companionId, string language, Guid staffId, CancellationToken cancellationToken)
    {
        var platform = await db.Platforms.SingleOrDefaultAsync(p => p.Id == platformId, cancellationToken);
        if (platform is null) return null;
        var queued = await PlatformQueueAsync(companionId, cancellationToken);
        var ids = queued.Where(q => q.PlatformName == platform.Name).Select(q => q.ItemId).Take(PlatformRequestMaxLinks).ToList();
        var items = await db.ContentItems.Include(c => c.Requests)
            .Where(c => ids.Contains(c.Id) && c.PlatformId == platformId && (c.Status == ContentStatus.Found || c.Status == ContentStatus.Reappeared))
            .OrderBy(c => c.CaseId).ThenBy(c => c.Id)
            .ToListAsync(cancellationToken);
        if (items.Count == 0) return null;
        var caseIds = items.Where(i => i.CaseId is not null).Select(i => i.CaseId!.Value).Distinct().ToList();
        var cases = await db.Cases.Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);

        var now = clock.GetUtcNow();
        var links = items.Select(i => (Reference: i.CaseId is { } id ? cases[id].Reference : CaselessReference(i.Id), i.Url)).ToList();
        var minor = items.Any(i => i.IsMinor || (i.CaseId is { } id && cases[id].IsMinor));
        var text = DeletionRequestText.ComposeForMany(platform, language, links, DateOnly.FromDateTime(now.UtcDateTime), minor);
        foreach (var item in items)
        {
            StartNotices(platform, item, item.RequestDeletion(platform.Id, platform.Channel, language, staffId, now), now);
        }
        foreach (var @case in cases.Values)
        {
            @case.Record(TimelineEventKind.DeletionRequested, now, staffId, ServiceTrackKind.Deletion, platform.Name);
        }
        return new PlatformRequest(platform, items, text);
    }

    /// <summary>The request queue as <see cref="RequestPlatformAsync"/> groups it: every waiting link this user may request.</summary>
    public Task<IReadOnlyList<QueuedItem>> PlatformQueueAsync(Guid? companionId, CancellationToken cancellationToken) =>
        RequestQueueAsync(PlatformRequestMaxLinks * 20, cancellationToken, companionId);

    private static int WorkOrder(ContentStatus status) => status switch
    {
        ContentStatus.Reappeared => 0,
        ContentStatus.Found => 1,
        ContentStatus.Requested => 2,
        ContentStatus.Refused or ContentStatus.NoResponse => 3,
        ContentStatus.Deleted => 4,
        _ => 5,
    };
}
