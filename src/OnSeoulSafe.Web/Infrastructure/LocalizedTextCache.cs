using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Localization;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>
/// Keeps each looked-up text per language, so a page's few hundred lookups read a concurrent dictionary instead of
/// taking the <see cref="System.Resources.ResourceManager"/>'s lock every time (that lock was contended on two
/// cores under load). Texts are compiled into the assembly, so a cached text is never out of date. Formatting with
/// arguments is done as <see cref="ResourceManagerStringLocalizer"/> does it, in the current culture.
/// </summary>
public sealed class LocalizedTextCache(IStringLocalizerFactory inner) : IStringLocalizerFactory
{
    private readonly ConcurrentDictionary<string, IStringLocalizer> _localizers = new(StringComparer.Ordinal);

    public IStringLocalizer Create(Type resourceSource) =>
        _localizers.GetOrAdd(resourceSource.AssemblyQualifiedName ?? resourceSource.FullName ?? resourceSource.Name, _ => new Cached(inner.Create(resourceSource)));

    public IStringLocalizer Create(string baseName, string location) =>
        _localizers.GetOrAdd(baseName + "|" + location, _ => new Cached(inner.Create(baseName, location)));

    private sealed class Cached(IStringLocalizer inner) : IStringLocalizer
    {
        // One dictionary per language, keyed by the text alone: a lookup hashes one string, with the runtime's fast
        // ordinal hashing for string keys, instead of a pair of strings with randomized hashing (a case file looks up
        // a few hundred texts).
        private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, LocalizedString>> _languages = new(StringComparer.Ordinal);

        public LocalizedString this[string name]
        {
            get
            {
                var culture = CultureInfo.CurrentUICulture.Name;
                if (!_languages.TryGetValue(culture, out var texts))
                {
                    texts = _languages.GetOrAdd(culture, static _ => new ConcurrentDictionary<string, LocalizedString>());
                }
                return texts.TryGetValue(name, out var text) ? text : texts.GetOrAdd(name, static (key, localizer) => localizer[key], inner);
            }
        }

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var format = this[name];
                return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => inner.GetAllStrings(includeParentCultures);
    }
}
