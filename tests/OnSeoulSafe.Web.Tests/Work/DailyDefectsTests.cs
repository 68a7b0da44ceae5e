using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Work;

/// <summary>The small things a center trips over every day: times, dates, ticks and suggestions.</summary>
public sealed class DailyDefectsTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Safe hours that exclude every time of day but one minute, three hours from now: contact warnings show.</summary>
    private static SafeContact OutsideSafeHours()
    {
        var now = TimeOnly.FromDateTime(KoreaTime.ToKorea(DateTimeOffset.UtcNow).DateTime);
        return new SafeContact(ContactChannel.Text, "010-1234-5678", null, now.AddHours(3), now.AddHours(3).AddMinutes(1), false, "umbrella");
    }

    private static string KoreaNowField(TimeSpan plus) =>
        KoreaTime.ToKorea(DateTimeOffset.UtcNow + plus).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_plain_note_is_logged_without_the_warnings_tick_which_only_calls_and_visits_need()
    {
        // Arrange
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, contact: OutsideSafeHours());
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var track = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/investigation");

        // Act
        var logged = await browser.SubmitAsync(track, [new("Activity.Kind", "Note"), new("Activity.OccurredAt", KoreaNowField(TimeSpan.Zero)), new("Activity.Note", "plain note")], formSelector: "#activity-form");

        // Assert
        track.QuerySelector("[data-contact-only]")!.GetAttribute("data-contact-only").ShouldBe("HomeVisit Call");
        logged.FieldErrors().ShouldBeEmpty();
        var caseId = await portal.CaseIdAsync(reference);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == caseId && e.Kind == TimelineEventKind.Note))).ShouldBe(1);
    }

    [Fact]
    public async Task An_accompaniment_dated_before_the_case_was_opened_is_refused_and_what_was_typed_stays()
    {
        // Arrange
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var track = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/investigation");
        var yesterday = KoreaNowField(TimeSpan.FromDays(-1));

        // Act
        var refused = await browser.SubmitAsync(track, [new("Activity.Kind", "Accompaniment"), new("Activity.OccurredAt", yesterday), new("Activity.Place", "Mapo police station")], formSelector: "#activity-form");
        var accepted = await browser.SubmitAsync(refused, [new("Activity.OccurredAt", KoreaNowField(TimeSpan.FromHours(2)))], formSelector: "#activity-form");

        // Assert
        refused.FieldErrors().ShouldContain("An accompaniment or home visit cannot be dated before the case was opened.");
        refused.QuerySelector("#Activity_Place")!.GetAttribute("value").ShouldBe("Mapo police station");
        accepted.FieldErrors().ShouldBeEmpty();
        var caseId = await portal.CaseIdAsync(reference);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == caseId && e.Kind == TimelineEventKind.Accompaniment))).ShouldBe(1);
    }

    [Fact]
    public async Task The_monitor_report_triage_shows_Korea_time()
    {
        // Arrange: reported at 23:30 UTC, which is 08:30 the next day in Seoul.
        using (var monitor = await portal.SignInAsync(CompanionWorld.Monitor))
        {
            var form = await monitor.GetAsync("/monitor/report");
            var sent = await monitor.SubmitAsync(form, [new("Input.Url", "https://videos.example/watch/korea-time"), new("Input.Kind", "Video"), new("Input.Note", "")], "#monitor-report");
            sent.FieldErrors().ShouldBeEmpty();
        }
        var reportedAt = await portal.WithDbAsync(db => db.MonitorReports.OrderByDescending(r => r.Id).Select(r => r.ReportedAt).FirstAsync());
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var triage = await manager.GetAsync("/intake/monitor-reports");

        // Assert
        var group = triage.QuerySelectorAll(".report-group").Single(g => g.TextContent.Contains("korea-time", StringComparison.Ordinal));
        group.TextContent.ShouldContain(KoreaTime.Format(reportedAt) + " (Korea time)");
        if (KoreaTime.ToKorea(reportedAt).Hour != reportedAt.UtcDateTime.Hour)
        {
            group.TextContent.ShouldNotContain(reportedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task An_account_nobody_has_signed_in_with_is_suggested_last_and_marked()
    {
        // Arrange: a new companion with no cases at all, who would otherwise come first (lightest caseload).
        var fresh = await portal.CreateStaffAsync("never.signed.in@onseoulsafe.example", StaffRoles.Companion);
        (await portal.SignInAsync(CompanionWorld.Companion)).Dispose();
        (await portal.SignInAsync(CompanionWorld.OtherCompanion)).Dispose();
        var reference = await portal.OpenCaseAsync("n", language: "ko");
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var form = await manager.GetAsync("/intake/assign/" + reference.ToLowerInvariant());

        // Assert
        var options = form.QuerySelectorAll("#assign-form .form-check").ToList();
        options[^1].QuerySelector("input")!.GetAttribute("value").ShouldBe(fresh.ToString());
        options[^1].QuerySelector(".never-signed-in")!.TextContent.ShouldBe("Has never signed in");
        options.SkipLast(1).ShouldAllBe(o => o.QuerySelector(".never-signed-in") == null);
    }

    [Fact]
    public async Task The_intake_queue_says_which_answer_made_a_case_Emergency()
    {
        // Arrange
        var threatened = await portal.OpenCaseAsync("n", risk: new RiskScreening(false, true, false, false));
        var minor = await portal.OpenCaseAsync("n", risk: new RiskScreening(false, false, false, true));
        var ordinary = await portal.OpenCaseAsync("n");
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var queue = await manager.GetAsync("/intake");

        // Assert
        string Row(string reference) => queue.QuerySelectorAll("#intake-queue tbody tr").Single(tr => tr.TextContent.Contains(reference, StringComparison.Ordinal)).TextContent;
        Row(threatened).ShouldContain("Because: Ongoing threats");
        Row(minor).ShouldContain("Because: Under 19");
        Row(ordinary).ShouldNotContain("Because");
    }
}
