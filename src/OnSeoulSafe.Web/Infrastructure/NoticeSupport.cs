using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Notices;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Deletion notices sent by the portal (e-mail through the center's SMTP server, or a platform's HTTP endpoint) and
/// the escalation ladder's timer. Off unless <c>Portal:Notices:Enabled=true</c>: nothing is sent anywhere by default.
/// </summary>
public static class NoticeSupport
{
    public static IServiceCollection AddDeletionNotices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NoticeOptions>(configuration.GetSection(NoticeOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NoticeOptions>>().Value);
        services.AddSingleton(sp => new HttpNoticeChannel(sp.GetRequiredService<NoticeOptions>()));
        services.AddSingleton(sp => new NoticeChannels(new SmtpNoticeChannel(sp.GetRequiredService<NoticeOptions>()), sp.GetRequiredService<HttpNoticeChannel>()));
        services.AddScoped<NoticeSender>();
        services.AddScoped<EscalationLadder>();
        services.AddHostedService<NoticeJob>();
        return services;
    }
}

/// <summary>Each wake-up: the ladder moves what is due, then the outbox is sent until nothing is due.</summary>
internal sealed partial class NoticeJob(IServiceScopeFactory scopes, NoticeOptions options, TimeProvider clock, ILogger<NoticeJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        using var timer = new PeriodicTimer(options.PollInterval, clock);
        do
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<EscalationLadder>().RunOnceAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (!await scope.ServiceProvider.GetRequiredService<NoticeSender>().RunOneAsync(stoppingToken)) break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The exception type only: a message could carry a link.
                LogPassFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notice pass failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
