using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Monitoring;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Deletion support: the per-link ledger, hash-only evidence, platform statistics, the re-check job, and this
/// instance's matching index over the hash bank (loaded at start-up, kept in step by LISTEN/NOTIFY).
/// </summary>
public static class DeletionSupport
{
    public static IServiceCollection AddDeletionSupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RecheckOptions>(configuration.GetSection(RecheckOptions.Section));
        services.AddScoped<ContentLedger>();
        services.AddScoped<EvidenceHashes>();
        services.AddScoped<PlatformStatistics>();
        services.AddSingleton(sp => new LinkProbe(sp.GetRequiredService<IOptions<RecheckOptions>>().Value));
        services.AddScoped<PerceptualMatches>();
        services.AddSingleton<HashBankIndex>();
        services.AddSingleton(sp => new HashBankIndexSettings(PortalDatabase.ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddHostedService<HashBankIndexSync>();
        services.AddHealthChecks().AddCheck<HashBankIndexReadiness>("hash-bank-index");
        services.AddScoped<RecheckRunner>();
        services.AddHostedService<RecheckJob>();
        return services;
    }
}

/// <summary>
/// Puts requested and deleted links that are due for a check on the shared work queue, every interval; the queue's
/// workers (<see cref="MonitoringJob"/>, in this or any other process) check them. Off unless
/// <c>Portal:Recheck:Enabled=true</c>: nothing is fetched from anywhere by default (demo links use reserved example domains).
/// </summary>
internal sealed partial class RecheckJob(IServiceScopeFactory scopes, IOptions<RecheckOptions> options, WorkArrived arrived, TimeProvider clock, ILogger<RecheckJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(settings.Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var queued = await PortalTelemetry.PassAsync("recheck", () => scope.ServiceProvider.GetRequiredService<RecheckRunner>()
                    .ScheduleDueAsync(scope.ServiceProvider.GetRequiredService<WorkQueue>(), Math.Max(1, settings.BatchSize), stoppingToken));
                if (queued > 0) arrived.Notify();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The exception type only: a message could carry a link.
                LogPassFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-check pass failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

/// <summary>
/// Readiness of the matching index: degraded until the bank is loaded, then healthy with the number of hashes held
/// (a count only, nothing about any case).
/// </summary>
internal sealed class HashBankIndexReadiness(HashBankIndex index) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(index.IsLoaded
            ? HealthCheckResult.Healthy("loaded", new Dictionary<string, object> { ["entries"] = index.Count })
            : HealthCheckResult.Degraded("loading"));
}
