using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Fetching;
using OnSeoulSafe.Cases.Monitoring;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Monitoring: sources managers set up, the work queue in PostgreSQL and the crawl. The crawl runs inside the portal
/// (<see cref="MonitoringJob"/>) or as its own process (<c>OnSeoulSafe.Web.dll --monitor</c>); either way it is off
/// unless <c>Portal:Monitoring:Enabled=true</c>, and several processes share the one queue.
/// </summary>
public static class MonitoringSupport
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MonitoringOptions>(configuration.GetSection(MonitoringOptions.Section));
        services.AddScoped(sp => new WorkQueue(sp.GetRequiredService<Cases.Data.PortalDbContext>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MonitoringOptions>>().Value.Queue));
        services.AddKeyedSingleton(MonitoringCrawl.FetcherKey, (sp, _) =>
        {
            var settings = sp.GetRequiredService<IOptions<MonitoringOptions>>().Value;
            // One connection per host at a time from this process at most: the queue's per-host limits decide the rest.
            return new GuardedFetcher(settings.ConnectTimeout, settings.AllowPrivateAddresses, maxConnectionsPerServer: 4, settings.LoopbackOnly);
        });
        services.AddSingleton<IMediaFingerprinter>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<MonitoringOptions>>().Value;
            return new PerceptualFingerprinter(new OnSeoulSafe.Hashing.Video.VideoLimits { MaxTime = settings.MaxVideoHashTime, MaxFrames = settings.MaxVideoFrames });
        });
        services.AddScoped<IHashMatcher, HashBankMatcher>();
        services.AddScoped<FoundCopies>();
        services.AddScoped<MonitoringCrawl>();
        services.AddScoped<MonitoringWorker>();
        services.AddSingleton<WorkCompletions>();
        services.AddSingleton<WorkArrived>();
        services.AddHostedService<MonitoringJob>();
        return services;
    }

    /// <summary>
    /// <c>--monitor</c>: the crawl alone, without the web server, for a center that runs it apart from the portals.
    /// True when it ran (the caller then stops).
    /// </summary>
    public static async Task<bool> RunMonitorOnlyIfAskedAsync(string[] args)
    {
        if (!args.Contains("--monitor")) return false;
        var builder = Host.CreateApplicationBuilder(args.Where(a => a != "--monitor").ToArray());
        builder.Configuration["Portal:Monitoring:Enabled"] ??= "true";
        builder.AddPortalLogging();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPortalDatabase(builder.Configuration);
        // The ledger, the re-check (its schedule and its link checks) and the matching index of this process, loaded
        // from the bank and kept in step like the portal's.
        builder.Services.AddDeletionSupport(builder.Configuration);
        builder.Services.AddMonitoring(builder.Configuration);
        using var host = builder.Build();
        await host.RunAsync();
        return true;
    }
}

/// <summary>
/// The shared queue's workers in this process: crawl pages and media, and link checks of the re-check. Each wake-up
/// (every poll interval, or when the re-check has just queued links) schedules the due sources, then leases work in
/// batches from the hosts whose turn it is, <see cref="MonitoringOptions.Workers"/> units at once, each in its own
/// scope, until nothing is due; when the next host's turn comes before the next poll, it sleeps until then. Runs
/// when monitoring or the re-check is switched on.
/// </summary>
internal sealed partial class MonitoringJob(
    IServiceScopeFactory scopes,
    IOptions<MonitoringOptions> options,
    IOptions<Cases.Deletion.RecheckOptions> recheck,
    WorkArrived arrived,
    TimeProvider clock,
    ILogger<MonitoringJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled && !recheck.Value.Enabled) return;
        using var timer = new PeriodicTimer(settings.PollInterval, clock);
        Task<bool>? tick = null;
        Task? wake = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (settings.Enabled)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<MonitoringCrawl>().ScheduleDueSourcesAsync(stoppingToken);
                }
                await DrainAsync(settings, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e.GetType().Name);
            }
            // The next poll or the re-check's signal, whichever comes first; the other stays pending for the next round.
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            wake ??= arrived.WaitAsync(stoppingToken);
            var first = await Task.WhenAny(tick, wake);
            if (first == tick)
            {
                if (!await tick) return;
                tick = null;
            }
            else
            {
                await wake;
                wake = null;
            }
        }
    }

    private async Task DrainAsync(MonitoringOptions settings, CancellationToken stoppingToken)
    {
        var slots = Math.Max(1, settings.Workers);
        var running = new List<Task>();
        var triedAgain = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                running.RemoveAll(t => t.IsCompleted);
                if (running.Count == slots)
                {
                    await Task.WhenAny(running);
                    continue;
                }
                IReadOnlyList<LeasedWork> batch;
                DateTimeOffset? nextTurn = null;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var queue = scope.ServiceProvider.GetRequiredService<WorkQueue>();
                    batch = await queue.TakeBatchAsync(slots - running.Count, stoppingToken);
                    if (batch.Count == 0) nextTurn = await queue.NextTurnAsync(stoppingToken);
                }
                if (batch.Count > 0)
                {
                    triedAgain = false;
                    running.AddRange(batch.Select(work => RunAsync(work, stoppingToken)));
                    continue;
                }
                if (running.Count > 0)
                {
                    // What is running may queue more (a page's links), and another host's turn may come first: look
                    // again at whichever comes first. Waiting for running work alone let one long unit (a slow site up
                    // to its time limit, a long video) hold back every other host while free slots stood idle.
                    await WhenRunningOrTurnAsync(running, nextTurn, settings, stoppingToken);
                    continue;
                }
                // Nothing taken: sleep until the next host's turn when it comes before the next poll. A turn already
                // come (work queued meanwhile) is tried once more at once; a host at its limit of leases has a turn but
                // nothing to give, and waits for the next poll rather than being asked in a loop.
                var wait = nextTurn - clock.GetUtcNow();
                if (wait is not { } until || until >= settings.PollInterval) return;
                if (until <= TimeSpan.Zero)
                {
                    if (triedAgain) return;
                    triedAgain = true;
                    continue;
                }
                triedAgain = false;
                await Task.Delay(until, clock, stoppingToken);
            }
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    /// <summary>
    /// Until a running unit ends or the next host's turn comes (at the latest the poll interval, for work other
    /// processes queue); a turn already come but given to nobody (another worker took it) is looked at again shortly.
    /// </summary>
    private async Task WhenRunningOrTurnAsync(List<Task> running, DateTimeOffset? nextTurn, MonitoringOptions settings, CancellationToken stoppingToken)
    {
        var pause = nextTurn - clock.GetUtcNow() is { } untilTurn && untilTurn < settings.PollInterval ? untilTurn : settings.PollInterval;
        if (pause < RecheckTurn) pause = RecheckTurn;
        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var turn = Task.Delay(pause, clock, stopDelay.Token);
        await Task.WhenAny(Task.WhenAny(running), turn);
        await stopDelay.CancelAsync();
        try
        {
            await turn;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The running unit ended first.
        }
    }

    private static readonly TimeSpan RecheckTurn = TimeSpan.FromMilliseconds(20);

    private async Task RunAsync(LeasedWork work, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<MonitoringWorker>().RunAsync(work, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Settling failed (the database went away): the lease runs out and the work is taken again.
            LogPassFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitoring pass failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
