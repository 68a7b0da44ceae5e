using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>Korean first, English everywhere a person reads. Texts live in Resources/*.ko.resx keyed by their English wording.</summary>
public static class PortalLocalization
{
    public static readonly CultureInfo Korean = new("ko");
    public static readonly CultureInfo English = new("en");
    public static readonly IReadOnlyList<CultureInfo> Cultures = [Korean, English];

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        MissingTranslations.AddMissingTranslations(services);
        // Pages write Korean as it is: the default encoder allows Basic Latin only and wrote every Hangul syllable
        // as a numeric character reference (on the encoder's slow path), nearly tripling the bytes of Korean text.
        // Markup characters (<, >, &, quotes) are encoded whatever the ranges allow.
        services.AddSingleton(HtmlEncoder.Create(
            UnicodeRanges.BasicLatin, UnicodeRanges.Latin1Supplement, UnicodeRanges.GeneralPunctuation,
            UnicodeRanges.CjkSymbolsandPunctuation, UnicodeRanges.HangulJamo, UnicodeRanges.HangulCompatibilityJamo,
            UnicodeRanges.HangulSyllables, UnicodeRanges.HalfwidthandFullwidthForms));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Korean);
            options.SupportedCultures = [.. Cultures];
            options.SupportedUICultures = [.. Cultures];
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(FromFormLanguageSwitchAsync),
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>The page handler a form's own language switch posts to (the report wizard's), with the form's fields.</summary>
    public const string LanguageHandler = "Language";

    /// <summary>
    /// A form's own language switch posts the whole form with the chosen <c>culture</c>: that request is already
    /// answered in the chosen language (the handler re-shows the form and remembers the choice in the cookie).
    /// </summary>
    private static async Task<ProviderCultureResult?> FromFormLanguageSwitchAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType
            || !string.Equals(request.Query["handler"], LanguageHandler, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var culture = (await request.ReadFormAsync(context.RequestAborted))["culture"].ToString();
            return Cultures.Any(c => c.Name == culture) ? new ProviderCultureResult(culture) : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return null; // an oversized form is refused further on, as on every other page
        }
    }

    /// <summary>
    /// Keeps the chosen language (Korean unless English is asked for) in a browser-session cookie: no expiry date, so
    /// it goes when the browser closes, and the quick exit and leaving the status page remove it at once. A lasting
    /// cookie would be a trace, on a shared phone, of a visit to a victims' site.
    /// </summary>
    public static CultureInfo Remember(HttpResponse response, string? culture)
    {
        var chosen = Cultures.FirstOrDefault(c => c.Name == culture) ?? Korean;
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps });
        return chosen;
    }

    /// <summary>Removes the language cookie (the quick exit, leaving the status page).</summary>
    public static void Forget(HttpResponse response) =>
        response.Cookies.Delete(CookieRequestCultureProvider.DefaultCookieName, new CookieOptions { SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps });

    /// <summary>The English name of a language code ("ko" → "Korean"); the localizer turns it into the reader's language.</summary>
    public static string LanguageName(string code) => code switch
    {
        "ko" => "Korean",
        "en" => "English",
        _ => code,
    };

    public static bool IsKorean => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ko";

    public static string CurrentLanguage => IsKorean ? "ko" : "en";
}
