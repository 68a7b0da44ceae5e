using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Every cookie the portal sets (staff and victim sessions, two-factor steps, antiforgery, TempData) is HttpOnly and
/// SameSite; with <c>Portal:SecureCookies</c> (on unless Development or Testing) it is also Secure and carries the
/// <c>__Host-</c> prefix, so a browser accepts it only over HTTPS, for this host, on path "/".
/// Also: HSTS for a year, and request-size limits that turn oversized posts into a clean 413/400.
/// </summary>
public static class PortalCookies
{
    public const string SecureCookiesSetting = "Portal:SecureCookies";
    public const string HostPrefix = "__Host-";

    /// <summary>
    /// Largest request body a page accepts: reports are text, evidence is sent as hashes. The longest text box is the
    /// narrative (20,000 characters), which each step of the report posts again with every other field; Hangul is nine
    /// bytes per character once form-encoded (three UTF-8 bytes, each written %XX), so the narrative alone can be
    /// 180,000 bytes. 1 MB holds every field at its limit with room to spare.
    /// </summary>
    public const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// One form value may be as long as the body: limits are counted in characters, by each field's validator and the
    /// text box's <c>maxlength</c>, so an over-long text comes back on its page with its error and everything else kept,
    /// instead of failing while the form is read.
    /// </summary>
    public const int MaxFormValueLength = MaxRequestBodyBytes;

    public static bool SecureCookies(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>(SecureCookiesSetting)
        ?? !(environment.IsDevelopment() || environment.IsEnvironment("Testing"));

    public static IServiceCollection AddPortalCookies(this IServiceCollection services)
    {
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>>(sp => new PostConfigureOptions<CookieAuthenticationOptions, IConfiguration, IHostEnvironment>(
            name: null,
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<IHostEnvironment>(),
            (options, configuration, environment) => Harden(options.Cookie, SecureCookies(configuration, environment))));
        services.AddOptions<AntiforgeryOptions>().PostConfigure<IConfiguration, IHostEnvironment>(
            (options, configuration, environment) => Harden(options.Cookie, SecureCookies(configuration, environment)));
        services.AddOptions<CookieTempDataProviderOptions>().PostConfigure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
        {
            options.Cookie.Name = "oss.td";
            Harden(options.Cookie, SecureCookies(configuration, environment));
        });

        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        services.Configure<KestrelServerOptions>(options => options.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(options =>
        {
            options.ValueLengthLimit = MaxFormValueLength;
            options.MultipartBodyLengthLimit = MaxRequestBodyBytes;
        });
        return services;
    }

    private static void Harden(CookieBuilder cookie, bool secure)
    {
        cookie.HttpOnly = true;
        if (cookie.SameSite is SameSiteMode.None or SameSiteMode.Unspecified) cookie.SameSite = SameSiteMode.Lax;
        if (!secure) return;
        cookie.SecurePolicy = CookieSecurePolicy.Always;
        cookie.Path = "/";
        cookie.Domain = null;
        if (cookie.Name is { } name && !name.StartsWith(HostPrefix, StringComparison.Ordinal)) cookie.Name = HostPrefix + name;
    }
}
