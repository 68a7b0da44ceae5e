using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.EndToEnd.Support;
using Xunit.Abstractions;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// Every page of the portal, taken from the app's own endpoints, in Korean and in English: no serious or critical
/// axe-core violation, no English-only text on a Korean page (nor on what its forms answer when sent empty), nothing
/// wider than a phone, and screenshots of each on a phone and a laptop under tests/OnSeoulSafe.EndToEnd/screenshots/.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PageTourTests(PortalServer portal, ITestOutputHelper output)
{
    [Fact]
    public void The_tour_has_one_row_for_every_page_of_the_portal()
    {
        // Arrange
        var pages = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<PageActionDescriptor>()?.ViewEnginePath)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var rows = PageTour.Stops.Select(s => s.Page).ToList();

        // Assert
        pages.ShouldContain("/Cases/File");
        rows.ShouldBeUnique();
        pages.Except(rows).ShouldBeEmpty("pages without a row in PageTour.Stops (add one: who opens it and how)");
        rows.Except(pages).ShouldBeEmpty("rows in PageTour.Stops for pages the portal no longer has");
    }

    [Theory]
    [InlineData("ko")]
    [InlineData("en")]
    public async Task Every_page_is_accessible_translated_fits_a_phone_and_is_photographed(string language)
    {
        // Arrange
        var tour = new Tour(portal, language);

        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Act
        foreach (var stop in PageTour.Stops)
        {
            var page = await tour.PageForAsync(stop.Visitor);
            var before = tour.Screens;
            await stop.Visit(tour, page);
            if (tour.Screens == before) tour.Problems.Add($"{stop.Page}: its row checked no screen");
        }

        output.WriteLine($"{PageTour.Stops.Count} pages, {tour.Screens} screens, {tour.EmptyPosts} forms sent empty in {clock.Elapsed.TotalSeconds:0}s; checks: "
            + string.Join(", ", tour.Spent.Select(s => $"{s.Key} {s.Value.TotalSeconds:0}s")));

        // Assert
        if (language == "ko")
        {
            foreach (var key in portal.MissingTranslations.Keys) tour.Problems.Add($"no Korean text for {key}");
            // Every form with fields was also sent empty: the staff and victim forms together are far more than this.
            if (tour.EmptyPosts < 25) tour.Problems.Add($"only {tour.EmptyPosts} forms were sent empty");
        }
        tour.Problems.ShouldBeEmpty(string.Join("\n", tour.Problems));
    }
}
