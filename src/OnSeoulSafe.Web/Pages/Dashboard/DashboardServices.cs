using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Web.Pages.Dashboard;

/// <summary>Settings under <c>Portal:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Portal:Dashboard";

    public int FirstContactTargetHours { get; set; } = 24;
    public int EmergencyFirstContactTargetHours { get; set; } = 1;

    /// <summary>How often the counter deltas are folded into the totals; 0 turns the background folding off.</summary>
    public int CompactionSeconds { get; set; } = 5;

    public DashboardTargets Targets => new(FirstContactTargetHours, EmergencyFirstContactTargetHours);
}

public static class DashboardServices
{
    public static IServiceCollection AddPortalDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>()
            .Bind(configuration.GetSection(DashboardOptions.Section))
            .Validate(o => o.FirstContactTargetHours is >= 1 and <= DashboardTargets.MaxHours
                && o.EmergencyFirstContactTargetHours is >= 1 and <= DashboardTargets.MaxHours,
                $"First-contact targets are whole hours from 1 to {DashboardTargets.MaxHours}.")
            .ValidateOnStart();
        services.AddScoped<DashboardQueries>();
        services.AddScoped<MonitoringDashboard>();
        services.AddHostedService<DashboardCompaction>();
        return services;
    }
}

/// <summary>Folds counter deltas into totals every few seconds so reads stay small; figures are exact either way.</summary>
public sealed class DashboardCompaction(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<DashboardOptions> options, ILogger<DashboardCompaction> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.CompactionSeconds <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CompactionSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await DashboardLedger.CompactAsync(scope.ServiceProvider.GetRequiredService<PortalDbContext>(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Folding dashboard counters failed; the next round retries");
            }
        }
    }
}
