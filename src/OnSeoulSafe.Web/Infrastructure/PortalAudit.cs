using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Cases.Retention;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>The access log's seal chain and unusual-access alert, and the retention period for closed cases.</summary>
public static class PortalAudit
{
    public static IServiceCollection AddPortalAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuditOptions>(configuration.GetSection(AuditOptions.Section));
        services.Configure<RetentionOptions>(configuration.GetSection(RetentionOptions.Section));
        services.AddSingleton(sp => SealKey.FromSecrets(sp.GetRequiredService<IOptions<PortalSecrets>>().Value));
        services.AddScoped<AccessLogChain>();
        services.AddScoped<UnusualAccess>();
        services.AddScoped<RetentionRunner>();
        services.AddHostedService<AccessLogSealJob>();
        services.AddHostedService<RetentionJob>();
        return services;
    }
}

/// <summary>Seals new access-log entries every few seconds (<c>Portal:Audit:SealInterval</c>; zero turns it off).</summary>
internal sealed partial class AccessLogSealJob(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AccessLogSealJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SealInterval;
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval, clock);
        // The first pass looks at the whole log, so entries written while no instance was sealing join the chain.
        var everything = true;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await PortalTelemetry.PassAsync("seal", () => scope.ServiceProvider.GetRequiredService<AccessLogChain>().SealAsync(everything, stoppingToken));
                everything = false;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealing the access log failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

/// <summary>Erases closed cases past their retention period (<c>Portal:Retention</c>; off when Enabled is false).</summary>
internal sealed partial class RetentionJob(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.Interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(settings.Interval, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var erased = await PortalTelemetry.PassAsync("retention", () => scope.ServiceProvider.GetRequiredService<RetentionRunner>().RunOnceAsync(stoppingToken));
                if (erased > 0) LogErased(logger, erased);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention period: erased {Count} closed cases")]
    private static partial void LogErased(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention pass failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
