using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Resources;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

public sealed class MissingTranslationsPortal : PortalFactory
{
    protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?> { [MissingTranslations.ConfigurationKey] = "true" };
}

/// <summary>The diagnostic the browser tests rely on to prove no Korean page falls back to English.</summary>
public sealed class MissingTranslationsTests(MissingTranslationsPortal portal) : IClassFixture<MissingTranslationsPortal>
{
    [Fact]
    public async Task Korean_lookups_without_a_Korean_entry_are_recorded_and_translated_ones_are_not()
    {
        // Arrange
        await using var scope = portal.Scope();
        var text = scope.ServiceProvider.GetRequiredService<IStringLocalizer<SharedText>>();
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = PortalLocalization.Korean;
        try
        {
            // Act
            _ = text["Exit this page"];
            _ = text["A sentence nobody translated"];
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        // Assert
        var keys = scope.ServiceProvider.GetRequiredService<MissingTranslations>().Keys;
        keys.ShouldContain("SharedText: A sentence nobody translated");
        keys.ShouldNotContain(k => k.Contains("Exit this page"));
    }
}
