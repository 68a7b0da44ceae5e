using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Notifications;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Content-free notices to people: e-mail to companions about unread messages, nudges to victims by e-mail or SMS in
/// their safe hours. Off unless <c>Portal:Notifications:Enabled=true</c>; nudges are queued either way and wait.
/// </summary>
public static class NotificationSupport
{
    public static IServiceCollection AddPersonNotices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection(NotificationOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NotificationOptions>>().Value);
        services.AddSingleton<IPersonMailer>(sp => new SmtpPersonMailer(sp.GetRequiredService<NotificationOptions>()));
        services.AddSingleton<ISmsGateway>(sp => new HttpSmsGateway(
            new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<NotificationOptions>()));
        services.AddScoped<PersonNoticeSender>();
        services.AddHostedService<PersonNoticeJob>();
        return services;
    }
}

/// <summary>Each wake-up: companions' unread messages are planned, then the outbox is sent until nothing is due.</summary>
internal sealed partial class PersonNoticeJob(IServiceScopeFactory scopes, NotificationOptions options, TimeProvider clock, ILogger<PersonNoticeJob> logger) : BackgroundService
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
                    await scope.ServiceProvider.GetRequiredService<PersonNoticeSender>().PlanUnreadAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    if (!await scope.ServiceProvider.GetRequiredService<PersonNoticeSender>().RunOneAsync(stoppingToken)) break;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The exception type only: a message could carry an address.
                LogPassFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Person notice pass failed: {ExceptionType}")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}
