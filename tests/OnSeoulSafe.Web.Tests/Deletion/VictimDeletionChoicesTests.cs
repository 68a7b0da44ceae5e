using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>The victim's side of deletion support: file fingerprints only, and the choice to be named in requests.</summary>
public sealed class VictimDeletionChoicesTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly string Valid = "AB" + new string('0', 60) + "CD";
    private static readonly string Other = new('e', 64);

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static KeyValuePair<string, string> Hash(int index, string field, string value) => new($"Input.Evidence[{index}].{field}", value);

    private async Task<(PortalBrowser Browser, string Reference)> SignedInAsync()
    {
        var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        return (browser, reference);
    }

    private Task<List<string>> StoredHashesAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var id = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
            return await db.EvidenceHashes.Where(e => e.CaseId == id).OrderBy(e => e.Sha256).Select(e => e.Sha256).ToListAsync();
        });

    private static void ShouldSendNoFile(IHtmlDocument page)
    {
        var form = (IHtmlFormElement)page.QuerySelector("[data-evidence-file]")!.Closest("form")!;
        (form.GetAttribute("enctype") ?? "").ShouldNotContain("multipart");
        form.Enctype.ShouldBe("application/x-www-form-urlencoded");
        var file = form.QuerySelector<IHtmlInputElement>("input[type=file]")!;
        file.HasAttribute("name").ShouldBeFalse();
        page.QuerySelectorAll("input[type=file][name]").Length.ShouldBe(0);
    }

    [Fact]
    public async Task The_intake_and_status_forms_have_no_named_file_input_and_are_not_multipart()
    {
        // Arrange
        var (browser, _) = await SignedInAsync();
        using var _ = browser;
        using var anonymous = portal.Browser("en");

        // Act
        var intake = await anonymous.GetAsync("/report");
        var links = await browser.GetAsync("/status/links");

        // Assert
        ShouldSendNoFile(intake);
        ShouldSendNoFile(links);
    }

    [Fact]
    public async Task Intake_carries_fingerprints_through_the_steps_and_stores_only_valid_ones_with_the_case()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var page = await browser.GetAsync("/report");

        // Act: a fingerprint and something that is not one.
        var refused = await ReportJourney.NextAsync(browser, page,
            [.. ReportJourney.WhatHappened(), Hash(0, "Sha256", Valid), Hash(0, "Kind", "Image"), Hash(0, "SizeBytes", "2048"), Hash(1, "Sha256", "<file contents>"), Hash(1, "Kind", "Video")]);
        page = await ReportJourney.NextAsync(browser, refused, []);
        var carried = page.QuerySelectorAll<IHtmlInputElement>("input[type=hidden][name^='Input.Evidence']").Select(i => (i.Name, i.Value)).ToList();
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Contact());
        var review = page;
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert
        refused.FieldErrors().ShouldContain("Only a file's fingerprint (SHA-256) can be sent, never the file.");
        refused.QuerySelector("ol.steps li[aria-current=step]")!.TextContent.ShouldContain("1.");
        carried.ShouldBe([("Input.Evidence[0].Sha256", Valid), ("Input.Evidence[0].Kind", "Image"), ("Input.Evidence[0].SizeBytes", "2048")]);
        review.QuerySelector("#evidence-count")!.TextContent.Trim().ShouldBe("1");
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        (await StoredHashesAsync(reference)).ShouldBe([Valid.ToLowerInvariant()]);
    }

    [Fact]
    public async Task Status_links_stores_valid_fingerprints_and_refuses_anything_else_keeping_the_typed_links()
    {
        // Arrange
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;
        var page = await browser.GetAsync("/status/links");

        // Act
        var refused = await browser.SubmitAsync(page, [new("Links", "https://video.example.com/watch/kept"), new("Evidence[0].Sha256", "not-a-hash"), new("Evidence[0].Kind", "Image")]);
        var stored = await browser.SubmitAsync(await browser.GetAsync("/status/links"), [new("Evidence[0].Sha256", Other), new("Evidence[0].Kind", "Video"), new("Evidence[0].SizeBytes", "10")]);

        // Assert
        refused.FieldErrors().ShouldContain("Only a file's fingerprint (SHA-256) can be sent, never the file.");
        refused.QuerySelector<IHtmlTextAreaElement>("#Links")!.Value.Trim().ShouldBe("https://video.example.com/watch/kept");
        stored.Text().ShouldContain("1 file fingerprint(s) added");
        (await StoredHashesAsync(reference)).ShouldBe([Other]);
    }

    [Fact]
    public async Task The_nickname_appears_in_deletion_requests_only_after_the_victim_ticks_the_box()
    {
        // Arrange: the journey's report gives the nickname "Sky" and consents to deletion support.
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;
        var consents = await browser.GetAsync("/status/consents");
        var box = consents.QuerySelector<IHtmlInputElement>("#NameInDeletionRequests")!;
        var before = await RequestTextAsync(reference);

        // Act
        await browser.SubmitAsync(consents, [new("NameInDeletionRequests", "true")]);
        var after = await RequestTextAsync(reference);
        var shown = await browser.GetAsync("/status/consents");

        // Assert
        box.IsChecked.ShouldBeFalse();
        consents.Text().ShouldContain("the person concerned");
        before.ShouldNotContain("Sky");
        after.ShouldContain("Sky");
        shown.QuerySelector<IHtmlInputElement>("#NameInDeletionRequests")!.IsChecked.ShouldBeTrue();
        var saved = await portal.WithDbAsync(db => db.Cases.Include(c => c.Consents).SingleAsync(c => c.Reference == reference));
        saved.HasConsent(ServiceTrackKind.Deletion).ShouldBeTrue("the other choices on the page were kept");
    }

    [Fact]
    public async Task The_consent_choice_and_link_statuses_read_in_korean()
    {
        // Arrange
        using var browser = portal.Browser("ko");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);

        // Act
        var consents = await browser.GetAsync("/status/consents");
        var status = await browser.GetAsync("/status/case");

        // Assert
        consents.Text().ShouldContain("삭제 요청에 들어갈 이름");
        status.QuerySelector("#deletion-progress")!.TextContent.ShouldContain("사이트에 삭제를 요청할 거예요.");
    }

    private async Task<string> RequestTextAsync(string reference)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var @case = await db.Cases.Include(c => c.Victim).Include(c => c.Consents).AsSplitQuery().SingleAsync(c => c.Reference == reference);
        var requests = await scope.ServiceProvider.GetRequiredService<ContentLedger>().PreviewRequestAsync(@case, null, "en", CancellationToken.None);
        requests.ShouldNotBeEmpty();
        return string.Join("\n", requests.Select(r => r.Text));
    }
}
