using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>Managers add, edit and pause monitoring sources; wrong values are refused with the form kept.</summary>
public sealed class MonitoringSourcesPageTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_manager_adds_a_source_a_bad_address_is_refused_keeping_the_form_then_edits_and_pauses_it()
    {
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync("/admin/sources/edit");
        var platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());

        var failed = await manager.SubmitAsync(form, [new("Input.Name", "Lantern board"), new("Input.StartAddress", "ftp://board.example/list"),
            new("Input.MaxDepth", "9")], "#source-form");
        var saved = await manager.SubmitAsync(failed, [new("Input.StartAddress", "https://board.example/list"), new("Input.MaxDepth", "2"),
            new("Input.IntervalMinutes", "30"), new("Input.MaxConcurrency", "2"), new("Input.RequestsPerSecond", "0.5"),
            new("Input.PlatformId", platformId.ToString(System.Globalization.CultureInfo.InvariantCulture))], "#source-form");
        var source = await portal.WithDbAsync(db => db.MonitoringSources.AsNoTracking().SingleAsync(s => s.Name == "Lantern board"));
        var edit = await manager.GetAsync($"/admin/sources/edit/{source.Id}");
        var edited = await manager.SubmitAsync(edit, [new("Input.IntervalMinutes", "120")], "#source-form");
        var paused = await manager.SubmitAsync(edited, [], $"form[action*='handler=Pause'][action*='id={source.Id}']");
        var afterPause = await portal.WithDbAsync(db => db.MonitoringSources.AsNoTracking().SingleAsync(s => s.Id == source.Id));
        var resumed = await manager.SubmitAsync(paused, [], $"form[action*='handler=Resume'][action*='id={source.Id}']");
        var afterResume = await portal.WithDbAsync(db => db.MonitoringSources.AsNoTracking().SingleAsync(s => s.Id == source.Id));

        failed.QuerySelector("[data-valmsg-for='Input.StartAddress']")!.TextContent.ShouldContain("https://");
        failed.QuerySelector("[data-valmsg-for='Input.MaxDepth']")!.TextContent.ShouldContain("0 to 5");
        failed.QuerySelector<IHtmlInputElement>("input[name='Input.Name']")!.Value.ShouldBe("Lantern board");
        saved.Text().ShouldContain("Source Lantern board saved.");
        source.StartAddress.ShouldBe("https://board.example/list");
        source.HostKey.ShouldBe("board.example:443");
        source.MaxDepth.ShouldBe(2);
        source.Interval.ShouldBe(TimeSpan.FromMinutes(30));
        source.MaxConcurrency.ShouldBe(2);
        source.RequestsPerSecond.ShouldBe(0.5);
        source.PlatformId.ShouldBe(platformId);
        edit.QuerySelector<IHtmlInputElement>("input[name='Input.StartAddress']")!.Value.ShouldBe("https://board.example/list");
        edited.Text().ShouldContain("120 min");
        paused.Text().ShouldContain("Lantern board is paused");
        afterPause.IsPaused.ShouldBeTrue();
        resumed.Text().ShouldContain("Lantern board is watched again.");
        afterResume.IsPaused.ShouldBeFalse();
    }

    [Fact]
    public async Task The_sources_page_is_in_Korean_by_default()
    {
        using var manager = await portal.SignInAsync(CompanionWorld.Manager, culture: "ko");

        var list = await manager.GetAsync("/admin/sources");
        var form = await manager.GetAsync("/admin/sources/edit");

        list.QuerySelector("h1")!.TextContent.ShouldBe("모니터링 대상");
        form.Text().ShouldContain("시작 주소");
        form.Text().ShouldContain("초당 요청 수");
    }

    [Fact]
    public async Task Two_sources_cannot_share_a_name_and_a_companion_cannot_open_the_pages()
    {
        await portal.WithDbAsync(async db =>
        {
            db.MonitoringSources.Add(new MonitoringSource("Quiet post", "https://quiet.example/", null, 1, TimeSpan.FromHours(1), 1, 1, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);

        var form = await manager.GetAsync("/admin/sources/edit");
        var refused = await manager.SubmitAsync(form, [new("Input.Name", "Quiet post"), new("Input.StartAddress", "https://other.example/")], "#source-form");
        var denied = await companion.GetRawAsync("/admin/sources");

        refused.QuerySelector("[data-valmsg-for='Input.Name']")!.TextContent.ShouldContain("already has this name");
        (await portal.WithDbAsync(db => db.MonitoringSources.CountAsync(s => s.Name == "Quiet post"))).ShouldBe(1);
        ((int)denied.StatusCode).ShouldBeOneOf(302, 403);
    }
}
