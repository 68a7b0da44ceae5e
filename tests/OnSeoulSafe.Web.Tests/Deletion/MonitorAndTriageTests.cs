using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

public sealed class MonitorAndTriageTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly string ValidSha = new('c', 64);

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<PortalBrowser> SignInAsync(string role, string? email = null, string? password = null)
    {
        var browser = portal.Browser("en");
        var account = DemoData.Accounts.First(a => a.Role == role);
        await StaffSignIn.AsAsync(portal, browser, email is null ? account : account with { Email = email, Password = password! });
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/staff");
        return browser;
    }

    private static async Task<IHtmlDocument> ReportAsync(PortalBrowser browser, string url, string note = "", string? sha = null)
    {
        var form = await browser.GetAsync("/monitor/report");
        var fields = new List<KeyValuePair<string, string>> { new("Input.Url", url), new("Input.Kind", "Video"), new("Input.Note", note) };
        if (sha is not null) fields.Add(new("Input.Evidence[0].Sha256", sha));
        return await browser.SubmitAsync(form, fields, "#monitor-report");
    }

    [Fact]
    public async Task A_monitor_reaches_no_case_page_and_no_triage()
    {
        // Arrange
        using var browser = await SignInAsync(StaffRoles.Monitor);
        var reference = await portal.WithDbAsync(db => db.Cases.OrderBy(c => c.Id).Select(c => c.Reference).FirstAsync());

        // Act / Assert
        foreach (var path in new[] { "/cases", "/cases/index", $"/cases/{reference.ToLowerInvariant()}", "/intake/monitor-reports", "/admin/platforms", "/dashboard" })
        {
            var response = await browser.GetRawAsync(path);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.NotFound);
            if (response.StatusCode == HttpStatusCode.Redirect) response.Headers.Location!.AbsolutePath.ShouldBe("/account/denied");
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(reference);
        }
        var home = await browser.GetAsync("/monitor");
        home.Text().ShouldNotContain("SDS-");
    }

    [Fact]
    public async Task A_monitor_sees_only_their_own_reports()
    {
        // Arrange: another monitor's report.
        await using (var scope = portal.Scope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
            var other = new StaffMember { UserName = "monitor-other@onseoulsafe.example", Email = "monitor-other@onseoulsafe.example", FirstName = "O", FullName = "Other", CreatedAt = DateTimeOffset.UtcNow };
            (await users.CreateAsync(other, "other-monitor-pass-2026")).Succeeded.ShouldBeTrue();
            await users.AddToRoleAsync(other, StaffRoles.Monitor);
        }
        using var otherBrowser = await SignInAsync(StaffRoles.Monitor, "monitor-other@onseoulsafe.example", "other-monitor-pass-2026");
        await ReportAsync(otherBrowser, "https://video.example.com/watch/someone-elses");
        using var browser = await SignInAsync(StaffRoles.Monitor);

        // Act
        var list = await ReportAsync(browser, "https://video.example.com/watch/mine-1", "found in a group chat");

        // Assert
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/monitor");
        list.Text().ShouldContain("https://video.example.com/watch/mine-1");
        list.Text().ShouldContain("ExampleTube");
        list.Text().ShouldContain("Waiting for review");
        list.Text().ShouldNotContain("someone-elses");
    }

    [Fact]
    public async Task A_bad_link_is_refused_next_to_the_field_and_keeps_what_was_typed()
    {
        using var browser = await SignInAsync(StaffRoles.Monitor);

        var page = await ReportAsync(browser, "ftp://video.example.com/x", "a note I typed");

        page.QuerySelector("[data-valmsg-for='Input.Url']")!.TextContent.ShouldContain("http");
        page.QuerySelector<IHtmlTextAreaElement>("textarea[name='Input.Note']")!.Value.ShouldBe("a note I typed");
        page.QuerySelector<IHtmlInputElement>("input[name='Input.Url']")!.Value.ShouldBe("ftp://video.example.com/x");
    }

    [Fact]
    public async Task The_evidence_form_has_no_named_file_input_and_is_not_multipart()
    {
        using var browser = await SignInAsync(StaffRoles.Monitor);

        var page = await browser.GetAsync("/monitor/report");

        var form = page.QuerySelector<IHtmlFormElement>("#monitor-report")!;
        (form.GetAttribute("enctype") ?? "").ShouldNotContain("multipart");
        var files = form.QuerySelectorAll("input[type=file]");
        files.Length.ShouldBe(1);
        files.ShouldAllBe(f => !f.HasAttribute("name"));
        page.QuerySelectorAll("script[src]").Select(s => s.GetAttribute("src")!).ShouldContain(s => s.StartsWith("/js/evidence-hash.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_report_form_speaks_Korean_by_default()
    {
        using var browser = await SignInAsync(StaffRoles.Monitor);

        var page = await browser.GetAsync("/monitor/report?culture=ko");

        page.QuerySelector("h1")!.TextContent.ShouldBe("의심 콘텐츠 신고");
        page.Text().ShouldContain("파일은 기기 밖으로 나가지 않습니다");
    }

    [Fact]
    public async Task Only_a_sha256_is_accepted_as_evidence()
    {
        using var browser = await SignInAsync(StaffRoles.Monitor);

        var refused = await ReportAsync(browser, "https://video.example.com/watch/evidence-1", sha: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk");
        var refusedSaved = await portal.WithDbAsync(db => db.MonitorReports.CountAsync());
        await ReportAsync(browser, "https://video.example.com/watch/evidence-2", sha: ValidSha.ToUpperInvariant());

        refused.QuerySelector("[data-valmsg-for='Input.Evidence']")!.TextContent.ShouldContain("SHA-256");
        var stored = await portal.WithDbAsync(db => db.MonitorReports.OrderByDescending(r => r.Id).Select(r => new { r.Sha256 }).FirstAsync());
        stored.Sha256.ShouldBe(ValidSha);
        (await portal.WithDbAsync(db => db.MonitorReports.CountAsync())).ShouldBe(refusedSaved + 1);
    }

    [Fact]
    public async Task Duplicate_reports_are_triaged_together_and_the_monitor_sees_only_the_outcome()
    {
        // Arrange: two reports of the same link (tracking parameters differ).
        using var monitor = await SignInAsync(StaffRoles.Monitor);
        await ReportAsync(monitor, "https://social.example.net/post/dup-1?utm_source=share", sha: ValidSha);
        await ReportAsync(monitor, "https://social.example.net/post/dup-1/");
        using var manager = await SignInAsync(StaffRoles.Manager);
        var reference = await portal.WithDbAsync(db => db.Cases.OrderBy(c => c.Id).Select(c => c.Reference).FirstAsync());
        var queue = await manager.GetAsync("/intake/monitor-reports");
        var group = queue.QuerySelectorAll(".report-group").Single(g => g.TextContent.Contains("dup-1", StringComparison.Ordinal));
        group.TextContent.ShouldContain("Reported 2 times");
        var key = group.QuerySelector<IHtmlInputElement>("input[name='Input.Group']")!.Value;

        // Act: a wrong reference first, then the right one.
        var failed = await manager.SubmitAsync(queue, [new("Input.Group", key), new("Input.Reference", "SDS-1999-999999")], $"form[action*='handler=Link']:has(input[value='{key}'])");
        var linked = await manager.SubmitAsync(failed, [new("Input.Group", key), new("Input.Reference", reference.ToLowerInvariant())], $"form[action*='handler=Link']:has(input[value='{key}'])");

        // Assert
        failed.QuerySelector("[data-valmsg-for='Input.Reference']")!.TextContent.ShouldBe("No case has this reference.");
        failed.QuerySelector<IHtmlInputElement>($"#ref-{key}")!.Value.ShouldBe("SDS-1999-999999");
        linked.Text().ShouldContain($"Linked to case {reference}");
        var item = await portal.WithDbAsync(db => db.ContentItems.SingleAsync(c => c.CaseId != null && c.UrlFingerprint == TestSecrets.Fingerprints.ContentUrl("https://social.example.net/post/dup-1")));
        item.FoundBy.ShouldBe(ContentFinder.CitizenMonitor);
        item.Sha256.ShouldBe(ValidSha);
        var log = await portal.WithDbAsync(db => db.AccessLog.Where(l => l.CaseId == item.CaseId && l.What == "Intake/MonitorReports:Link").CountAsync());
        log.ShouldBe(1);
        var mine = await monitor.GetAsync("/monitor");
        mine.QuerySelectorAll(".report-outcome").Count(o => o.TextContent.Contains("Linked to a case", StringComparison.Ordinal)).ShouldBe(2);
        mine.Text().ShouldNotContain(reference);
    }

    [Fact]
    public async Task A_caseless_request_for_a_minor_enters_the_queue_and_dismissal_needs_a_reason()
    {
        // Arrange
        using var monitor = await SignInAsync(StaffRoles.Monitor);
        await ReportAsync(monitor, "https://sn.example.net/g/minor-1", "school uniform, looks under 15");
        await ReportAsync(monitor, "https://sn.example.net/g/not-abuse-1");
        using var manager = await SignInAsync(StaffRoles.Manager);
        var queue = await manager.GetAsync("/intake/monitor-reports");
        string Key(IHtmlDocument page, string marker) => page.QuerySelectorAll(".report-group").Single(g => g.TextContent.Contains(marker, StringComparison.Ordinal))
            .QuerySelector<IHtmlInputElement>("input[name='Input.Group']")!.Value;
        var minorKey = Key(queue, "minor-1");
        var otherKey = Key(queue, "not-abuse-1");

        // Act
        var afterCaseless = await manager.SubmitAsync(queue, [new("Input.Group", minorKey), new("Input.ConcernsMinor", "true")], $"form[action*='handler=Caseless']:has(input[value='{minorKey}'])");
        var noReason = await manager.SubmitAsync(afterCaseless, [new("Input.Group", otherKey), new("Input.Reason", " ")], $"form[action*='handler=Dismiss']:has(input[value='{otherKey}'])");
        await manager.SubmitAsync(noReason, [new("Input.Group", otherKey), new("Input.Reason", "Adult performer, consensual")], $"form[action*='handler=Dismiss']:has(input[value='{otherKey}'])");

        // Assert
        noReason.QuerySelector("[data-valmsg-for='Input.Reason']")!.TextContent.ShouldContain("reason");
        var item = await portal.WithDbAsync(db => db.ContentItems.SingleAsync(c => c.CaseId == null && c.IsMinor));
        item.Status.ShouldBe(ContentStatus.Found);
        await using (var scope = portal.Scope())
        {
            var queued = await scope.ServiceProvider.GetRequiredService<OnSeoulSafe.Cases.Deletion.ContentLedger>().RequestQueueAsync(100, CancellationToken.None);
            var entry = queued.TakeWhile(q => q.IsMinor).Where(q => q.ItemId == item.Id).ShouldHaveSingleItem();
            entry.Proactive.ShouldBeTrue();
            entry.CaseReference.ShouldBeNull();
        }
        var mine = await monitor.GetAsync("/monitor");
        mine.Text().ShouldContain("Deletion requested");
        mine.Text().ShouldContain("Dismissed: Adult performer, consensual");
        var triage = await manager.GetAsync("/intake/monitor-reports");
        triage.QuerySelectorAll(".minor-badge").Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_manager_adds_a_platform_and_a_bad_host_is_refused_keeping_the_form()
    {
        using var manager = await SignInAsync(StaffRoles.Manager);
        var form = await manager.GetAsync("/admin/platforms/edit");

        var failed = await manager.SubmitAsync(form, [new("Input.Name", "NewTube"), new("Input.HostPatterns", "https://newtube.example/watch")], "#platform-form");
        var saved = await manager.SubmitAsync(failed, [new("Input.HostPatterns", "newtube.example\nm.newtube.example"), new("Input.RemovedPageMarker", "Video removed")], "#platform-form");

        failed.QuerySelector("[data-valmsg-for='Input.HostPatterns']")!.TextContent.ShouldContain("host names only");
        failed.QuerySelector<IHtmlInputElement>("input[name='Input.Name']")!.Value.ShouldBe("NewTube");
        saved.Text().ShouldContain("Platform NewTube saved.");
        var platform = await portal.WithDbAsync(db => db.Platforms.SingleAsync(p => p.Name == "NewTube"));
        platform.HostPatterns.ShouldBe(["newtube.example", "m.newtube.example"]);
        platform.RemovedPageMarker.ShouldBe("Video removed");
        platform.TemplateKo.ShouldContain("{links}");
    }
}
