using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Notices;

/// <summary>The platforms victims report content on arrive with the migrations, each with a report address and templates.</summary>
public sealed class StartingPlatformsTests : IAsyncLifetime
{
    private PortalDbContext _db = null!;

    public async Task InitializeAsync() =>
        _db = PortalDatabaseTemplate.NewContext(await PortalDatabaseTemplate.CreateDatabaseAsync("platforms"), TestSecrets.Cipher);

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Theory]
    [InlineData("https://x.com/someone/status/1", "X (Twitter)")]
    [InlineData("https://t.me/somechannel/12", "Telegram")]
    [InlineData("https://www.instagram.com/p/abc/", "Instagram")]
    [InlineData("https://m.facebook.com/story.php?id=1", "Facebook")]
    [InlineData("https://youtu.be/abc", "YouTube")]
    [InlineData("https://www.tiktok.com/@a/video/1", "TikTok")]
    [InlineData("https://blog.naver.com/a/1", "Naver")]
    [InlineData("https://tv.kakao.com/v/1", "Kakao")]
    [InlineData("https://cafe.daum.net/a/1", "Daum")]
    [InlineData("https://www.pornhub.com/view_video.php?viewkey=1", "Pornhub")]
    [InlineData("https://www.xvideos.com/video1/a", "XVideos")]
    public async Task A_link_on_a_platform_victims_report_is_matched_to_it(string link, string platform)
    {
        var platforms = await _db.Platforms.AsNoTracking().ToListAsync();

        var found = PlatformMatching.Find(platforms, ContentLinks.Normalise(link)!);

        found.ShouldNotBeNull().Name.ShouldBe(platform);
    }

    [Fact]
    public async Task Every_starting_platform_has_a_report_address_and_templates_that_name_the_links_and_the_reference()
    {
        var platforms = await _db.Platforms.AsNoTracking().ToListAsync();

        platforms.Count.ShouldBeGreaterThanOrEqualTo(14);
        foreach (var platform in platforms)
        {
            platform.IsActive.ShouldBeTrue();
            platform.RequestAddress.ShouldNotBeNullOrWhiteSpace();
            platform.HostPatterns.ShouldAllBe(h => PlatformMatching.IsValidHostPattern(h));
            var text = DeletionRequestText.Compose(platform, DeletionRequestText.Korean, "SDS-TEST-0001", ["https://x.example/a"], new DateOnly(2026, 12, 3), false, null);
            text.ShouldContain("SDS-TEST-0001");
            text.ShouldContain("- https://x.example/a");
            text.ShouldNotContain("{");
            DeletionRequestText.Compose(platform, DeletionRequestText.English, "SDS-TEST-0001", ["https://x.example/a"], new DateOnly(2026, 12, 3), true, null)
                .ShouldContain("Children and Youth");
        }
    }

    [Fact]
    public async Task Host_patterns_of_the_starting_platforms_never_overlap()
    {
        var platforms = await _db.Platforms.AsNoTracking().ToListAsync();

        var hosts = platforms.SelectMany(p => p.HostPatterns).ToList();

        hosts.Distinct().Count().ShouldBe(hosts.Count);
    }
}
