using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Victims have no account: a correct case reference and access code give a short session for that one case,
/// in a cookie of its own, separate from staff sign-in. The session carries the case's session version and is
/// checked against it on every request, so the quick exit or a new code ends it on the server, not only in the
/// browser that held the cookie.
/// </summary>
public static class VictimAccess
{
    public const string Scheme = "Victim";
    public const string Policy = "Victim";
    public const string CaseClaim = "case";
    public const string SessionVersionClaim = "sv";

    public static IServiceCollection AddVictimAccess(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(Scheme, options =>
            {
                options.Cookie.Name = "oss.v";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromMinutes(20);
                options.SlidingExpiration = true;
                options.LoginPath = "/status";
                options.AccessDeniedPath = "/status";
                options.ReturnUrlParameter = "unused";
                options.Events.OnValidatePrincipal = ValidateAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CaseClaim));
        return services;
    }

    public static ClaimsPrincipal PrincipalFor(long caseId, int sessionVersion) =>
        new(new ClaimsIdentity(
            [
                new Claim(CaseClaim, caseId.ToString(CultureInfo.InvariantCulture)),
                new Claim(SessionVersionClaim, sessionVersion.ToString(CultureInfo.InvariantCulture)),
            ],
            Scheme));

    /// <summary>The one case this victim session may see.</summary>
    public static long CaseId(ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(CaseClaim) ?? throw new InvalidOperationException("Not a victim session."), CultureInfo.InvariantCulture);

    /// <summary>
    /// Ends every victim session of the session's case (the quick exit): the version goes up, so this cookie and any
    /// copy of it stop working at once. Nothing else about the case changes.
    /// </summary>
    public static async Task EndSessionAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(Scheme);
        if (result.Succeeded && Session(result.Principal) is ({ } caseId, { } version))
        {
            var db = context.RequestServices.GetRequiredService<PortalDbContext>();
            await db.Cases.Where(c => c.Id == caseId && c.VictimSessionVersion == version)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.VictimSessionVersion, c => c.VictimSessionVersion + 1), context.RequestAborted);
        }
        await context.SignOutAsync(Scheme);
        PortalLocalization.Forget(context.Response);
    }

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var current = Session(context.Principal) is ({ } caseId, { } version)
            && await context.HttpContext.RequestServices.GetRequiredService<PortalDbContext>().Cases
                .AnyAsync(c => c.Id == caseId && c.VictimSessionVersion == version, context.HttpContext.RequestAborted);
        if (!current)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    private static (long? CaseId, int? Version) Session(ClaimsPrincipal? user) =>
        (long.TryParse(user?.FindFirstValue(CaseClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null,
         int.TryParse(user?.FindFirstValue(SessionVersionClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null);
}
