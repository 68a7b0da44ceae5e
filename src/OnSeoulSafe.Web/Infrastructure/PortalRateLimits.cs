using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Limits;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Limits on the endpoints people could hammer, counted in PostgreSQL (<see cref="RateLimitCounters"/>) so every
/// portal instance shares them. Staff sign-in, the two-factor step and CSV exports are limited per client address.
/// The victims' pages are limited by what identifies one visitor's attempt as well as by address, because a mobile
/// carrier puts many phones behind one public address: the report by its intake key (and a much higher limit per
/// address), access-code checks and lost-code requests by the reference being guessed (and per address); each has a
/// ceiling for the whole portal. A refused request gets the portal's own page (429, re-executed as /error) with
/// <c>Retry-After</c>, except the report, which comes back with everything typed and a "wait a moment" message
/// (<see cref="Pages.Report.IndexModel"/>). The limit on one reference holds for a minute at most: a stranger's guesses
/// can delay the right code by that long, never lock it out.
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
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddScoped<SharedRateLimiter>();
        services.AddHostedService<RateLimitSweep>();
        return services;
    }

    /// <summary>Counts the request against its page's limit (<see cref="SharedRateLimitAttribute"/>) and refuses it past the limit.</summary>
    public static IApplicationBuilder UsePortalRateLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var policy = context.GetEndpoint()?.Metadata.GetMetadata<SharedRateLimitAttribute>()?.Policy;
        // Decided before the limiter (and the database context it holds) is asked for: most requests of a limited
        // page, such as every reading of a form, count against nothing.
        if (policy is not null && SharedRateLimiter.Counts(context.Request, policy))
        {
            var verdict = await context.RequestServices.GetRequiredService<SharedRateLimiter>().ForRequestAsync(context, policy);
            if (!verdict.Allowed)
            {
                Refuse(context, verdict);
                return;
            }
        }
        await next(context);
    });

    /// <summary>429 with <c>Retry-After</c>, in whole seconds until the window ends.</summary>
    public static void Refuse(HttpContext context, LimitVerdict verdict)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(verdict.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

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

/// <summary>The limit a page's posts (or its export) count against; see <see cref="PortalRateLimits"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SharedRateLimitAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}

/// <summary><c>Portal:RateLimits</c>: attempts a minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Portal:RateLimits";

    /// <summary>Access-code checks and lost-code requests from one client address.</summary>
    public int AccessCodePerMinute { get; set; } = 60;

    /// <summary>Attempts at one reference, from every address together.</summary>
    public int AccessCodePerReferencePerMinute { get; set; } = 10;

    public int AccessCodeGlobalPerMinute { get; set; } = 600;

    /// <summary>Report posts (each step and the send) from one client address: many phones can share one.</summary>
    public int IntakePerMinute { get; set; } = 600;

    /// <summary>Report posts of one form (one intake key): one person filling in one report.</summary>
    public int IntakePerKeyPerMinute { get; set; } = 30;

    public int IntakeGlobalPerMinute { get; set; } = 6000;

    public int SignInPerMinute { get; set; } = 20;

    public int TwoFactorPerMinute { get; set; } = 10;

    public int ExportsPerMinute { get; set; } = 10;
}

/// <summary>
/// Counts a request against the shared counters. When the database cannot be reached the attempt is allowed (and
/// logged): every limited page needs the database for its own work, so nothing can be hammered while it is away.
/// </summary>
public sealed partial class SharedRateLimiter(PortalDbContext db, Fingerprints fingerprints, IOptionsMonitor<RateLimitOptions> options, TimeProvider clock, ILogger<SharedRateLimiter> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private const string Everyone = "everyone";

    /// <summary>Whether this request of a page with the policy counts against a shared limit at all.</summary>
    public static bool Counts(HttpRequest request, string policy) => policy switch
    {
        PortalRateLimits.SignIn or PortalRateLimits.TwoFactor or PortalRateLimits.AccessCode => HttpMethods.IsPost(request.Method),
        // The dashboard itself is not limited; its export handler (a whole table as CSV) is.
        PortalRateLimits.Export => string.Equals(request.Query["handler"], "export", StringComparison.OrdinalIgnoreCase),
        // Reading a form is never limited; the report counts its own posts, so it can keep what was typed.
        _ => false,
    };

    public Task<LimitVerdict> ForRequestAsync(HttpContext context, string policy)
    {
        if (!Counts(context.Request, policy)) return Task.FromResult(LimitVerdict.Allow);
        var limits = options.CurrentValue;
        return policy switch
        {
            PortalRateLimits.SignIn => CountAsync([PerClient(context, policy, limits.SignInPerMinute)], context.RequestAborted),
            PortalRateLimits.TwoFactor => CountAsync([PerClient(context, policy, limits.TwoFactorPerMinute)], context.RequestAborted),
            PortalRateLimits.Export => CountAsync([PerClient(context, policy, limits.ExportsPerMinute)], context.RequestAborted),
            PortalRateLimits.AccessCode => AccessCodeAsync(context, limits),
            _ => Task.FromResult(LimitVerdict.Allow),
        };
    }

    /// <summary>One post of a report: per form, per address, and for the whole portal.</summary>
    public Task<LimitVerdict> IntakeAsync(HttpContext context, Guid intakeKey)
    {
        var limits = options.CurrentValue;
        return CountAsync(
            [
                new(fingerprints.LimitPartition("intake-key", intakeKey.ToString("N")), limits.IntakePerKeyPerMinute),
                PerClient(context, PortalRateLimits.Intake, limits.IntakePerMinute),
                new(fingerprints.LimitPartition("intake-all", Everyone), limits.IntakeGlobalPerMinute),
            ],
            context.RequestAborted);
    }

    private async Task<LimitVerdict> AccessCodeAsync(HttpContext context, RateLimitOptions limits)
    {
        var partitions = new List<LimitPartition>
        {
            PerClient(context, PortalRateLimits.AccessCode, limits.AccessCodePerMinute),
            new(fingerprints.LimitPartition("access-code-all", Everyone), limits.AccessCodeGlobalPerMinute),
        };
        if (await TypedReferenceAsync(context) is { Length: > 0 } reference)
        {
            partitions.Add(new(fingerprints.LimitPartition("access-code-reference", reference), limits.AccessCodePerReferencePerMinute));
        }
        return await CountAsync(partitions, context.RequestAborted);
    }

    /// <summary>
    /// The reference a status sign-in or a lost-code request names, reduced to its letters and digits in upper case,
    /// so spacing, dashes and case do not make one reference into many.
    /// </summary>
    private static async Task<string?> TypedReferenceAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType) return null;
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null; // the page answers the malformed form itself
        }
        var typed = new[] { "Input.Reference", "Reference", "CollectReference" }.Select(name => form[name].ToString()).FirstOrDefault(v => v.Length > 0);
        if (typed is null) return null;
        var reduced = new string(typed.Where(char.IsAsciiLetterOrDigit).Take(40).ToArray());
        return reduced.ToUpperInvariant();
    }

    private LimitPartition PerClient(HttpContext context, string policy, int permits) =>
        new(fingerprints.LimitPartition(policy, PortalRateLimits.ClientKey(context.Connection.RemoteIpAddress)), permits);

    private async Task<LimitVerdict> CountAsync(IReadOnlyCollection<LimitPartition> partitions, CancellationToken cancellationToken)
    {
        try
        {
            return await RateLimitCounters.CountAsync(db, partitions, Window, clock.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCountFailed(logger, e.GetType().Name);
            return LimitVerdict.Allow;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate-limit counters could not be read, the attempt is allowed: {ExceptionType}")]
    private static partial void LogCountFailed(ILogger logger, string exceptionType);
}

/// <summary>Removes counters whose window has ended, once a minute; any instance may, and several at once is harmless.</summary>
internal sealed partial class RateLimitSweep(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RateLimitSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SharedRateLimiter.Window, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RateLimitCounters.SweepAsync(scope.ServiceProvider.GetRequiredService<PortalDbContext>(), clock.GetUtcNow(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping rate-limit counters failed: {ExceptionType}")]
    private static partial void LogSweepFailed(ILogger logger, string exceptionType);
}
