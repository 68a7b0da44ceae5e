using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Opt-in diagnostic (<c>Portal:Diagnostics:RecordMissingTranslations=true</c>, off by default): records every text a
/// Korean page asked for that has no Korean entry, so a test can prove Korean readers never meet English-only text.
/// </summary>
public sealed class MissingTranslations
{
    public const string ConfigurationKey = "Portal:Diagnostics:RecordMissingTranslations";

    private readonly ConcurrentDictionary<string, byte> _missing = new(StringComparer.Ordinal);

    /// <summary>"Resource: English key" for each lookup that fell back to English, in order of the key.</summary>
    public IReadOnlyList<string> Keys => [.. _missing.Keys.Order(StringComparer.Ordinal)];

    public void Clear() => _missing.Clear();

    internal void Record(string resource, LocalizedString text)
    {
        if (text.ResourceNotFound && CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "ko")
        {
            _missing.TryAdd($"{resource}: {text.Name}", 0);
        }
    }

    internal static IServiceCollection AddMissingTranslations(IServiceCollection services)
    {
        services.AddSingleton<MissingTranslations>();
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizerFactory>(provider =>
        {
            IStringLocalizerFactory inner = new LocalizedTextCache(provider.GetRequiredService<ResourceManagerStringLocalizerFactory>());
            return provider.GetRequiredService<IConfiguration>().GetValue<bool>(ConfigurationKey)
                ? new RecordingFactory(inner, provider.GetRequiredService<MissingTranslations>())
                : inner;
        });
        return services;
    }

    private sealed class RecordingFactory(IStringLocalizerFactory inner, MissingTranslations missing) : IStringLocalizerFactory
    {
        public IStringLocalizer Create(Type resourceSource) => new Recording(inner.Create(resourceSource), resourceSource.Name, missing);

        public IStringLocalizer Create(string baseName, string location) => new Recording(inner.Create(baseName, location), baseName, missing);
    }

    private sealed class Recording(IStringLocalizer inner, string resource, MissingTranslations missing) : IStringLocalizer
    {
        public LocalizedString this[string name] => Seen(inner[name]);

        public LocalizedString this[string name, params object[] arguments] => Seen(inner[name, arguments]);

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);

        private LocalizedString Seen(LocalizedString text)
        {
            missing.Record(resource, text);
            return text;
        }
    }
}
