using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>The last step of the report shows everything she typed, so a mistyped number can be caught before sending.</summary>
public sealed class ReviewStepTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task The_review_shows_every_answer_she_typed()
    {
        using var browser = portal.Browser("en");

        var review = await ReportJourney.ReviewAsync(browser);

        review.QuerySelector("#review-narrative")!.TextContent.ShouldBe(ReportJourney.Narrative);
        review.QuerySelector("#review-date")!.TextContent.Trim().ShouldBe("2026-10-01");
        review.QuerySelector("#review-channel")!.TextContent.Trim().ShouldBe("Text message");
        review.QuerySelector("#review-phone")!.TextContent.Trim().ShouldBe("010-1234-5678");
        review.QuerySelector("#review-email")!.TextContent.Trim().ShouldBe("Not given");
        review.QuerySelector("#review-hours")!.TextContent.Trim().ShouldBe("18:00–21:00");
        review.QuerySelector("#review-safe-word")!.TextContent.Trim().ShouldBe("umbrella");
        review.QuerySelector("#review-nickname")!.TextContent.Trim().ShouldBe("Sky");
        review.QuerySelectorAll("#review-links li").Select(li => li.TextContent.Trim())
            .ShouldBe(["https://video.example.com/watch/abc", "https://social.example.net/p/1"]);
        review.QuerySelector("#review-links")!.TextContent.ShouldNotContain("more than once");
    }

    [Fact]
    public async Task Links_without_a_scheme_are_completed_and_a_link_typed_twice_is_counted_once()
    {
        // Arrange
        using var browser = portal.Browser("en");

        // Act: one link copied from an app without its scheme, one typed twice in two spellings.
        var review = await ReportJourney.ReviewAsync(browser, links: "t.me/somechannel/77\nwww.example.com/post/1\nhttps://www.example.com/post/1/");
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert
        review.FieldErrors().ShouldBeEmpty();
        review.QuerySelectorAll("#review-links li").Select(li => li.TextContent.Trim())
            .ShouldBe(["https://t.me/somechannel/77", "https://www.example.com/post/1"]);
        review.QuerySelector("#review-links")!.TextContent.ShouldContain("2 link(s) · 1 were typed more than once and are counted once.");
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var urls = await portal.WithDbAsync(db => db.ContentItems.Where(i => db.Cases.Any(c => c.Id == i.CaseId && c.Reference == reference)).Select(i => i.Url).ToListAsync());
        urls.Order().ShouldBe(["https://t.me/somechannel/77", "https://www.example.com/post/1"]);
    }

    [Fact]
    public async Task The_review_reads_in_korean_without_a_sentence_about_repeats_when_there_are_none()
    {
        using var browser = portal.Browser("ko");

        var review = await ReportJourney.ReviewAsync(browser);

        review.QuerySelector("#review-email")!.TextContent.Trim().ShouldBe("입력하지 않음");
        review.QuerySelector("#review-links")!.TextContent.ShouldContain("링크 2개");
        review.QuerySelector("#review-links")!.TextContent.ShouldNotContain("개는");
    }
}
