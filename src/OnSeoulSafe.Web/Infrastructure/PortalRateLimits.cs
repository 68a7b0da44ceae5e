using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Per-client limits on the endpoints people could hammer: sign-in, the two-factor step, access-code checks, intake
/// submits and CSV exports; and one limit for the whole portal on access-code checks (and lost-code requests), which
/// slows guessing from many addresses at once. That one queues a burst for a few seconds before it refuses anyone,
/// and no limit is ever kept per case reference, so what strangers type cannot lock a victim out of her case.
/// A refused request gets the portal's own page (429, re-executed as /error) with <c>Retry-After</c>. Counters live
/// in each instance's memory: with several instances a client gets the limit once per instance, an accepted
/// trade-off for not sharing a counter store.
/// </summary>
public static class PortalRateLimits
{
    public const string AccessCode = "access-code";
    public const string Intake = "intake";
    public const string SignIn = "sign-in";
    public const string TwoFactor = "two-factor";
    public const string Export = "export";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        // Read when the app starts, so configuration added by the host is seen.
        services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var accessCodePerMinute = configuration.GetValue("Portal:RateLimits:AccessCodePerMinute", 10);
            var intakePerMinute = configuration.GetValue("Portal:RateLimits:IntakePerMinute", 30);
            var signInPerMinute = configuration.GetValue("Portal:RateLimits:SignInPerMinute", 20);
            var twoFactorPerMinute = configuration.GetValue("Portal:RateLimits:TwoFactorPerMinute", 10);
            var exportsPerMinute = configuration.GetValue("Portal:RateLimits:ExportsPerMinute", 10);
            var accessCodeGlobalPerMinute = configuration.GetValue("Portal:RateLimits:AccessCodeGlobalPerMinute", 600);
            var accessCodeGlobalQueue = configuration.GetValue("Portal:RateLimits:AccessCodeGlobalQueue", 50);
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            options.AddPolicy(AccessCode, context => PostsOnly(context, accessCodePerMinute));
            options.AddPolicy(Intake, context => PostsOnly(context, intakePerMinute));
            options.AddPolicy(SignIn, context => PostsOnly(context, signInPerMinute));
            options.AddPolicy(TwoFactor, context => PostsOnly(context, twoFactorPerMinute));
            options.AddPolicy(Export, context => ExportsOnly(context, exportsPerMinute));
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method)
                && context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == AccessCode
                    ? RateLimitPartition.GetTokenBucketLimiter("access-code-all", _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = accessCodeGlobalPerMinute,
                        TokensPerPeriod = Math.Max(1, accessCodeGlobalPerMinute / 60),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(accessCodeGlobalPerMinute >= 60 ? 1 : 60),
                        QueueLimit = accessCodeGlobalQueue,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter("other"));
        });
        return services;
    }

    // Reading a form is never limited; sending it is, per client address.
    private static RateLimitPartition<string> PostsOnly(HttpContext context, int permitsPerMinute) =>
        HttpMethods.IsPost(context.Request.Method) ? PerClient(context, permitsPerMinute) : RateLimitPartition.GetNoLimiter("read");

    // The page itself is not limited; its export handler (a whole table as CSV) is.
    private static RateLimitPartition<string> ExportsOnly(HttpContext context, int permitsPerMinute) =>
        string.Equals(context.Request.Query["handler"], "export", StringComparison.OrdinalIgnoreCase)
            ? PerClient(context, permitsPerMinute)
            : RateLimitPartition.GetNoLimiter("page");

    private static RateLimitPartition<string> PerClient(HttpContext context, int permitsPerMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            ClientKey(context.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>
    /// Who counts as one client: an IPv4 address, or an IPv6 address's /64 (one subscriber's network: a device picks
    /// new addresses inside it at will, so each address alone would give it endless fresh limits).
    /// </summary>
    public static string ClientKey(System.Net.IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }
}
