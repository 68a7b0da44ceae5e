using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Work;

/// <summary>
/// A report taken by phone or at the center, driven through /intake/new as a browser does: the same intake and rules as
/// the web report, consents recorded as given aloud to the staff member, the channel on the case, the code shown once.
/// </summary>
public sealed class StaffIntakeTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Narrative = "The caller says a former partner threatens to post a video. 전화로 접수한 진술입니다.";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static KeyValuePair<string, string>[] Report(string narrative = Narrative, string links = "https://video.example.com/watch/phone") =>
    [
        new("Input.CrimeTypes", "ThreatToDistribute"),
        new("Input.Narrative", narrative),
        new("Input.Links", links),
        new("Input.SelfHarmThoughts", "false"),
        new("Input.OngoingThreats", "true"),
        new("Input.OffenderKnowsAddress", "false"),
        new("Input.UnderNineteen", "false"),
        new("Input.Channel", "Text"),
        new("Input.Phone", "010-7777-1212"),
        new("Input.Consents", "Investigation"),
        new("Input.Consents", "Deletion"),
        new("Input.Nickname", "Byeol"),
    ];

    private static async Task<IHtmlDocument> TakeAsync(PortalBrowser browser, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var form = await browser.GetAsync("/intake/new");
        return await browser.SubmitAsync(form, fields, formSelector: "#staff-intake-form");
    }

    [Fact]
    public async Task A_companion_takes_a_phone_report_keeps_the_case_and_the_caller_opens_it_with_the_code()
    {
        // Arrange
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var staffId = await portal.StaffIdAsync(CompanionWorld.Companion);

        // Act
        var done = await TakeAsync(browser, [.. Report(), new("Taking.Channel", "Phone"), new("Taking.Handover", "OnScreen"), new("Taking.KeepCase", "true")]);

        // Assert
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var code = done.QuerySelector("#access-code")!.TextContent.Trim();
        var saved = await portal.WithDbAsync(db => db.Cases.Include(c => c.Consents).Include(c => c.Timeline).Include(c => c.Narrative)
            .SingleAsync(c => c.Reference == reference));
        saved.IntakeChannel.ShouldBe(IntakeChannel.Phone);
        saved.IntakeStaffId.ShouldBe(staffId);
        saved.Narrative.Text.ShouldBe(Narrative);
        saved.Priority.ShouldBe(CasePriority.Emergency);
        saved.AssignedCompanionId.ShouldBe(staffId);
        saved.Consents.Select(c => c.Track).ShouldBe([ServiceTrackKind.Investigation, ServiceTrackKind.Deletion], ignoreOrder: true);
        saved.Consents.ShouldAllBe(c => c.VerballyToStaffId == staffId && c.GivenAt == saved.CreatedAt);
        saved.Timeline.Where(e => e.Kind == TimelineEventKind.ConsentChanged)
            .ShouldAllBe(e => e.StaffId == staffId && e.Detail!.StartsWith("GivenVerbally:"));
        saved.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.CaseOpened && e.StaffId == staffId && e.Detail == "Phone");
        var log = await portal.AccessLogAsync(reference);
        log.ShouldContain(r => r.StaffId == staffId && r.Action == AccessAction.Edit && r.What == "/Intake/New");

        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));
        file.QuerySelector("#intake-channel")!.TextContent.ShouldContain("Phone");
        file.QuerySelectorAll(".verbal-consent").Length.ShouldBeGreaterThan(0);

        using var caller = portal.Browser("en");
        var status = await ReportJourney.OpenStatusAsync(caller, reference, code);
        status.QuerySelector("#case-status").ShouldNotBeNull();
    }

    [Fact]
    public async Task The_web_reports_rules_refuse_bad_input_and_the_form_keeps_everything_typed()
    {
        // Arrange
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var before = await portal.WithDbAsync(db => db.Cases.CountAsync());

        // Act: no narrative, a line that is not a link, and a phone number with letters.
        var fields = Report(narrative: "", links: "not a link").Where(f => f.Key != "Input.Phone")
            .Append(new("Input.Phone", "010-abc")).Append(new("Taking.Channel", "Visit")).Append(new("Taking.Handover", "None")).ToList();
        var page = await TakeAsync(browser, fields);

        // Assert
        var errors = page.QuerySelector("#error-summary")!.TextContent;
        errors.ShouldContain("Tell us what happened, in your own words. A few sentences are enough.");
        errors.ShouldContain("This is not a web address starting with http:// or https://: not a link");
        errors.ShouldContain("Enter a phone number with digits only (spaces, + and - are fine).");
        ((IHtmlInputElement)page.QuerySelector("#Input_Phone")!).Value.ShouldBe("010-abc");
        ((IHtmlTextAreaElement)page.QuerySelector("#Input_Links")!).Value.ShouldBe("not a link");
        ((IHtmlInputElement)page.QuerySelector("#Input_Nickname")!).Value.ShouldBe("Byeol");
        ((IHtmlInputElement)page.QuerySelector("#Input_OngoingThreats_yes")!).IsChecked.ShouldBeTrue();
        ((IHtmlInputElement)page.QuerySelector("#Input_Consents_Deletion")!).IsChecked.ShouldBeTrue();
        ((IHtmlInputElement)page.QuerySelector("#Taking_Channel_Visit")!).IsChecked.ShouldBeTrue();
        ((IHtmlInputElement)page.QuerySelector("#Taking_Handover_None")!).IsChecked.ShouldBeTrue();
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(before);

        // The same form, corrected, saves once.
        var done = await browser.SubmitAsync(page, [new("Input.Narrative", Narrative), new("Input.Links", ""), new("Input.Phone", "010-7777-1212")], formSelector: "#staff-intake-form");
        done.QuerySelector("#case-reference").ShouldNotBeNull();
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(before + 1);
    }

    [Fact]
    public async Task A_managers_walk_in_report_waits_in_the_queue_with_its_channel_and_hands_over_no_code()
    {
        // Arrange
        using var browser = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var done = await TakeAsync(browser, [.. Report(), new("Taking.Channel", "Visit"), new("Taking.Handover", "None"), new("Taking.KeepCase", "true")]);

        // Assert
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        done.QuerySelector("#access-code").ShouldBeNull();
        done.QuerySelector("#queue-note").ShouldNotBeNull();
        var saved = await portal.WithDbAsync(db => db.Cases.SingleAsync(c => c.Reference == reference));
        saved.AssignedCompanionId.ShouldBeNull();
        saved.IntakeChannel.ShouldBe(IntakeChannel.Visit);
        var queue = await browser.GetAsync("/intake");
        var row = queue.QuerySelectorAll("#intake-queue tbody tr").Single(r => r.TextContent.Contains(reference));
        row.QuerySelector(".intake-channel")!.TextContent.Trim().ShouldBe("Visit");
    }

    [Fact]
    public async Task A_monitor_cannot_open_the_staff_intake()
    {
        using var browser = await portal.SignInAsync(CompanionWorld.Monitor);
        var response = await browser.GetRawAsync("/intake/new");
        ((int)response.StatusCode is 403 or 302).ShouldBeTrue();
    }
}
