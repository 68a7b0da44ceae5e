using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Victims have no account: a correct case reference and access code give a short session for that one case,
/// in a cookie of its own, separate from staff sign-in.
/// </summary>
public static class VictimAccess
{
    public const string Scheme = "Victim";
    public const string Policy = "Victim";
    public const string CaseClaim = "case";

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
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireClaim(CaseClaim));
        return services;
    }

    public static ClaimsPrincipal PrincipalFor(long caseId) =>
        new(new ClaimsIdentity([new Claim(CaseClaim, caseId.ToString(System.Globalization.CultureInfo.InvariantCulture))], Scheme));

    /// <summary>The one case this victim session may see.</summary>
    public static long CaseId(ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(CaseClaim) ?? throw new InvalidOperationException("Not a victim session."), System.Globalization.CultureInfo.InvariantCulture);
}
