using System.Globalization;
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
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Korean);
            options.SupportedCultures = [.. Cultures];
            options.SupportedUICultures = [.. Cultures];
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    public static bool IsKorean => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ko";

    public static string CurrentLanguage => IsKorean ? "ko" : "en";
}
