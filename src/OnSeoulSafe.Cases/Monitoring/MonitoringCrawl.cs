using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Fetching;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>What became of one unit of work: done, to be tried again later, or parked; with a short reason word.</summary>
public enum StepResult { Done, Retry, Park }

public sealed record CrawlStep(StepResult Result, string Reason, int PagesQueued = 0, int MediaQueued = 0, int Matches = 0);

/// <summary>
/// The monitoring crawl: due sources put their start page in the <see cref="WorkQueue"/>; a page is fetched within
/// the limits, read for links (pages on the same site, within the source's depth) and media (any public host); a
/// picture or video is fetched within its own cap, checked by its first bytes, hashed (SHA-256, PDQ with its
/// dihedrals, one PDQ per second of video), matched against the hash bank, and its bytes dropped. A match goes to
/// <see cref="FoundCopies"/>: on the matched case's ledger, found by monitoring, requested at once or waiting for review. Everything odd a site does ends in a reason word: parked (a 50 MB page, a redirect chain, HTML where a
/// picture should be) or retried later (a timeout, a 503), and the crawl goes on.
/// </summary>
public sealed class MonitoringCrawl(
    PortalDbContext db,
    WorkQueue queue,
    [FromKeyedServices(MonitoringCrawl.FetcherKey)] GuardedFetcher fetcher,
    IMediaFingerprinter fingerprinter,
    IHashMatcher matcher,
    FoundCopies found,
    TimeProvider clock,
    IOptions<MonitoringOptions> options,
    ILogger<MonitoringCrawl> logger)
{
    public const string FetcherKey = "monitoring";

    /// <summary>The actor the access log names for monitoring's changes to a case.</summary>
    public const string ActorRole = "Monitoring";

    /// <summary>Puts the start page of every due, unpaused source in the queue; returns how many sources started a crawl.</summary>
    public async Task<int> ScheduleDueSourcesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var sources = await db.MonitoringSources.Where(s => !s.IsPaused).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var started = 0;
        foreach (var source in sources.Where(s => s.IsDue(now)))
        {
            await queue.SetHostLimitsAsync(new HostLimits(source.HostKey, source.MinimumDelay, source.MaxConcurrency), cancellationToken);
            await queue.EnqueueAsync([new WorkToQueue(MonitoringWorkKind.Page, source.StartAddress, source.HostKey, source.Id, 0)], now, cancellationToken);
            source.CrawlStarted(now);
            started++;
        }
        await db.SaveChangesAsync(cancellationToken);
        return started;
    }

    /// <summary>
    /// Takes one unit of work, does it and settles its lease; false when nothing was due. For a queue holding crawl
    /// work only (the portal's workers run every kind through <see cref="MonitoringWorker"/>).
    /// </summary>
    public async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        var work = await queue.TakeAsync(cancellationToken);
        if (work is null) return false;
        CrawlStep step;
        try
        {
            step = await DoAsync(work, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception type only: a message could carry an address.
            step = new CrawlStep(StepResult.Retry, "error-" + e.GetType().Name);
            db.ChangeTracker.Clear();
        }
        var settled = await MonitoringWorker.SettleAsync(queue, work, step, cancellationToken);
        MonitoringWorker.LogStep(logger, work, step, settled);
        return true;
    }

    public async Task<CrawlStep> DoAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        var source = work.SourceId is { } id ? await db.MonitoringSources.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken) : null;
        if (work.Kind == MonitoringWorkKind.Page && source is null) return new CrawlStep(StepResult.Done, "source-removed");
        if (source?.IsPaused == true) return new CrawlStep(StepResult.Done, "source-paused");
        return work.Kind switch
        {
            MonitoringWorkKind.Page => await PageAsync(work, source!, cancellationToken),
            MonitoringWorkKind.Media => await MediaAsync(work, source, cancellationToken),
            _ => new CrawlStep(StepResult.Park, "unsupported-kind"),
        };
    }

    private FetchLimits Limits(long cap)
    {
        var settings = options.Value;
        return new FetchLimits(settings.TotalTimeout, cap, settings.MaxRedirects, settings.UserAgent);
    }

    private async Task<CrawlStep> PageAsync(LeasedWork work, MonitoringSource source, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var fetched = await fetcher.GetAsync(work.Address, Limits(settings.MaxPageBytes), cancellationToken);
        if (Unfetched(fetched) is { } ended) return ended;
        if (fetched.Truncated) return new CrawlStep(StepResult.Park, "too-large");
        if (fetched.ContentType is { } type && !type.Contains("html", StringComparison.OrdinalIgnoreCase)) return new CrawlStep(StepResult.Park, "not-a-page");
        var links = PageReading.Read(Encoding.UTF8.GetString(fetched.Body!), fetched.FinalAddress!, settings.MaxLinksPerPage);
        var now = clock.GetUtcNow();
        var pages = work.Depth < source.MaxDepth
            ? links.Pages.Where(p => MonitoringSource.HostKeyOf(p.AbsoluteUri) == source.HostKey)
                .Select(p => new WorkToQueue(MonitoringWorkKind.Page, p.AbsoluteUri, source.HostKey, source.Id, work.Depth + 1)).ToList()
            : [];
        var media = links.Media.Select(m => (Address: m.AbsoluteUri, Host: MonitoringSource.HostKeyOf(m.AbsoluteUri)))
            .Where(m => m.Host is not null)
            .Select(m => new WorkToQueue(MonitoringWorkKind.Media, m.Address, m.Host!, source.Id, work.Depth)).ToList();
        var queuedPages = await queue.EnqueueAsync(pages, now, cancellationToken);
        var queuedMedia = await queue.EnqueueAsync(media, now, cancellationToken);
        return new CrawlStep(StepResult.Done, "read", queuedPages, queuedMedia);
    }

    private async Task<CrawlStep> MediaAsync(LeasedWork work, MonitoringSource? source, CancellationToken cancellationToken)
    {
        var fetched = await fetcher.GetAsync(work.Address, Limits(options.Value.MaxMediaBytes), cancellationToken);
        if (Unfetched(fetched) is { } ended) return ended;
        if (fetched.Truncated) return new CrawlStep(StepResult.Park, "too-large");
        if (MediaSniffing.Sniff(fetched.Body.AsSpan(0, Math.Min(fetched.Body!.Length, 16))) is not { } kind) return new CrawlStep(StepResult.Park, "not-media");
        var fingerprint = await fingerprinter.FingerprintAsync(fetched.Body, kind, cancellationToken);
        // Only the hashes go further; the bytes are dropped here.
        fetched = fetched with { Body = null };
        var matches = await matcher.MatchAsync(fingerprint, cancellationToken);
        var changed = 0;
        foreach (var match in matches.DistinctBy(m => m.CaseId))
        {
            if ((await found.RecordAsync(match, work.Address, source?.PlatformId, kind, fingerprint, cancellationToken)).Changed) changed++;
        }
        if (changed > 0) await db.SaveChangesAsync(cancellationToken);
        var reason = matches.Count > 0 ? "matched" : fingerprint.Unhashable is { } why ? "sha256-only-" + why : "hashed";
        return new CrawlStep(StepResult.Done, reason, Matches: matches.Count);
    }

    /// <summary>A fetch that brought no page or file: retried when the site may answer later, parked otherwise.</summary>
    private static CrawlStep? Unfetched(FetchResult fetched) => fetched.Status switch
    {
        FetchStatus.Served => null,
        FetchStatus.Status when fetched.StatusCode is 408 or 429 or >= 500 => new CrawlStep(StepResult.Retry, $"status-{fetched.StatusCode}"),
        FetchStatus.Status => new CrawlStep(StepResult.Park, $"status-{fetched.StatusCode}"),
        FetchStatus.Timeout or FetchStatus.Network => new CrawlStep(StepResult.Retry, fetched.Reason),
        _ => new CrawlStep(StepResult.Park, fetched.Reason),
    };
}
