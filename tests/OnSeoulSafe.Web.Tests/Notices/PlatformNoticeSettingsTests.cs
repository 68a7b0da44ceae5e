using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Notices;

/// <summary>Managers set how the portal sends a platform's notices on /admin/platforms.</summary>
public sealed class PlatformNoticeSettingsTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_sets_an_http_notice_endpoint_and_a_missing_address_or_unknown_body_field_is_refused_keeping_the_form()
    {
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync("/admin/platforms/edit");

        var failed = await manager.SubmitAsync(form,
            [new("Input.Name", "NoticeTube"), new("Input.HostPatterns", "noticetube.example"), new("Input.NoticeDelivery", "HttpEndpoint"),
             new("Input.NoticeBodyTemplate", """{"ref":"{reference}","who":"{victim_phone}"}""")], "#platform-form");
        var saved = await manager.SubmitAsync(failed,
            [new("Input.NoticeAddress", "https://noticetube.example/api/notices"), new("Input.NoticeBodyTemplate", """{"ref":"{reference}","urls":{addresses}}"""),
             new("Input.NoticeLanguage", "en"), new("Input.NoticeIntervalMinutes", "5"), new("Input.DeadlineHours", "48")], "#platform-form");

        failed.QuerySelector("[data-valmsg-for='Input.NoticeAddress']")!.TextContent.ShouldContain("Enter the address notices are sent to.");
        failed.QuerySelector("[data-valmsg-for='Input.NoticeBodyTemplate']")!.TextContent.ShouldContain("may use only");
        failed.QuerySelector<IHtmlInputElement>("input[name='Input.Name']")!.Value.ShouldBe("NoticeTube");
        saved.QuerySelector("[data-valmsg-for='Input.NoticeAddress']")?.TextContent.Trim().ShouldBeNullOrEmpty();
        var platform = await portal.WithDbAsync(db => db.Platforms.SingleAsync(p => p.Name == "NoticeTube"));
        platform.NoticeDelivery.ShouldBe(NoticeDelivery.HttpEndpoint);
        platform.NoticeAddress.ShouldBe("https://noticetube.example/api/notices");
        platform.NoticeBodyTemplate.ShouldBe("""{"ref":"{reference}","urls":{addresses}}""");
        platform.NoticeLanguage.ShouldBe("en");
        platform.NoticeInterval.ShouldBe(TimeSpan.FromMinutes(5));
        platform.RemovalDeadline.ShouldBe(TimeSpan.FromHours(48));
        platform.SendsNotices.ShouldBeTrue();
    }
}
