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
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPortalDatabase(builder.Configuration);
        builder.Services.AddScoped<Cases.Deletion.ContentLedger>();
        // The matching index of this process, loaded from the bank and kept in step like the portal's.
        builder.Services.AddScoped<Cases.Matching.PerceptualMatches>();
        builder.Services.AddSingleton<Cases.Matching.HashBankIndex>();
        builder.Services.AddSingleton(sp => new Cases.Matching.HashBankIndexSettings(PortalDatabase.ConnectionString(sp.GetRequiredService<IConfiguration>())));
        builder.Services.AddHostedService<Cases.Matching.HashBankIndexSync>();
        builder.Services.AddMonitoring(builder.Configuration);
        using var host = builder.Build();
        await host.RunAsync();
        return true;
    }
}

/// <summary>
/// The crawl's workers in this process: each wake-up schedules the due sources, then <see cref="MonitoringOptions.Workers"/>
/// loops take work until none is due. Each unit of work runs in its own scope (its own database context).
/// </summary>
internal sealed partial class MonitoringJob(IServiceScopeFactory scopes, IOptions<MonitoringOptions> options, TimeProvider clock, ILogger<MonitoringJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(settings.PollInterval, clock);
        do
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<MonitoringCrawl>().ScheduleDueSourcesAsync(stoppingToken);
                }
                await Task.WhenAll(Enumerable.Range(0, Math.Max(1, settings.Workers)).Select(_ => DrainAsync(stoppingToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<MonitoringCrawl>().RunOneAsync(stoppingToken)) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Monitoring pass failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
