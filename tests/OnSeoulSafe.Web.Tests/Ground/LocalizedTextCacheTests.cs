using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>The text cache in front of the resource files keeps each language apart and formats as they do.</summary>
public sealed class LocalizedTextCacheTests
{
    private static readonly ResourceManagerStringLocalizerFactory Resources =
        new(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);

    [Fact]
    public void Alternating_languages_get_each_language_s_own_text_and_formatting_as_without_the_cache()
    {
        // Arrange
        var cached = new LocalizedTextCache(Resources).Create(typeof(SharedText));
        var direct = Resources.Create(typeof(SharedText));
        var previous = CultureInfo.CurrentUICulture;
        var texts = new List<(string Cached, string Direct)>();
        try
        {
            // Act: the same keys, Korean, English, Korean again
            foreach (var culture in new[] { PortalLocalization.Korean, PortalLocalization.English, PortalLocalization.Korean })
            {
                CultureInfo.CurrentUICulture = culture;
                texts.Add((cached["Exit this page"].Value, direct["Exit this page"].Value));
                texts.Add((cached["A sentence nobody translated {0}", 7].Value, direct["A sentence nobody translated {0}", 7].Value));
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        // Assert
        texts.ShouldAllBe(t => t.Cached == t.Direct);
        texts[0].Cached.ShouldNotBe(texts[2].Cached);
        texts[0].Cached.ShouldBe(texts[4].Cached);
        texts[1].Cached.ShouldBe("A sentence nobody translated 7");
    }
}
