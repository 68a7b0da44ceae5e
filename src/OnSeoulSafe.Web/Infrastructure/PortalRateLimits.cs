using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Per-client limits on the endpoints people could hammer: sign-in, access-code checks and intake submits.</summary>
public static class PortalRateLimits
{
    public const string AccessCode = "access-code";
    public const string Intake = "intake";
    public const string SignIn = "sign-in";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        // Read when the app starts, so configuration added by the host is seen.
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var accessCodePerMinute = configuration.GetValue("Portal:RateLimits:AccessCodePerMinute", 10);
            var intakePerMinute = configuration.GetValue("Portal:RateLimits:IntakePerMinute", 30);
            var signInPerMinute = configuration.GetValue("Portal:RateLimits:SignInPerMinute", 20);
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            options.AddPolicy(AccessCode, context => PostsOnly(context, accessCodePerMinute));
            options.AddPolicy(Intake, context => PostsOnly(context, intakePerMinute));
            options.AddPolicy(SignIn, context => PostsOnly(context, signInPerMinute));
        });
        return services;
    }

    // Reading a form is never limited; sending it is, per client address.
    private static RateLimitPartition<string> PostsOnly(HttpContext context, int permitsPerMinute) =>
        HttpMethods.IsPost(context.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter("read");
}
