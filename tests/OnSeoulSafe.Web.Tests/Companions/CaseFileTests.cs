using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

public sealed class CaseFileTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Reading_the_file_writes_exactly_one_view_row()
    {
        var reference = await portal.OpenCaseAsync("Someone posted my video on a forum.", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var before = (await portal.AccessLogAsync(reference)).Count;

        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        file.Text().ShouldContain("Someone posted my video on a forum.");
        var log = await portal.AccessLogAsync(reference);
        log.Count.ShouldBe(before + 1);
        log[^1].Action.ShouldBe(AccessAction.View);
        log[^1].StaffId.ShouldBe(await portal.StaffIdAsync(CompanionWorld.Companion));
        log[^1].ActorRole.ShouldBe(StaffRoles.Companion);
        log[^1].What.ShouldBe("/Cases/File");
    }

    [Fact]
    public async Task A_long_timeline_shows_the_newest_events_and_all_of_them_on_request()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, more: (c, companion) =>
        {
            for (var i = 1; i <= 60; i++)
            {
                c.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Note, companion!.Id, start.AddHours(i), null, null, $"timeline-note-{i:00}", start.AddHours(i));
            }
        });
        var caseId = await portal.CaseIdAsync(reference);
        var total = await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == caseId));
        var legal = await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == caseId && e.Track == ServiceTrackKind.Legal));
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        file.QuerySelectorAll(".timeline-entry").Length.ShouldBe(Pages.Cases.FileModel.NewestEventsShown);
        var notes = file.QuerySelectorAll(".timeline-note").Select(n => n.TextContent).ToList();
        notes[0].ShouldBe("timeline-note-60");
        notes.ShouldNotContain("timeline-note-10");
        file.QuerySelector("#timeline-more")!.TextContent.ShouldContain($"Show all {total} events");
        // The track table counts every event, not only those shown.
        var legalRow = file.QuerySelectorAll("#tracks-heading ~ div tbody tr").Single(r => r.TextContent.Contains("Legal", StringComparison.Ordinal));
        legalRow.QuerySelectorAll("td")[^1].TextContent.ShouldBe(legal.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var logged = (await portal.AccessLogAsync(reference)).Count;
        var all = await browser.GetAsync(file.QuerySelector("#timeline-more a")!.GetAttribute("href")!);

        // Every event is a read of the case like any other: one view row.
        (await portal.AccessLogAsync(reference)).Skip(logged).Select(e => e.Action).ShouldBe([AccessAction.View]);
        all.QuerySelectorAll(".timeline-entry").Length.ShouldBe(total);
        all.QuerySelectorAll(".timeline-note").Select(n => n.TextContent).ShouldContain("timeline-note-01");
        all.QuerySelector("#timeline-more").ShouldBeNull();
    }

    [Fact]
    public async Task A_reply_and_its_edit_row_are_saved_together()
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));
        var before = (await portal.AccessLogAsync(reference)).Count;

        var after = await browser.SubmitAsync(file, [new("Reply.Body", "I will call you at 7 as agreed.")], formSelector: "#reply-form");

        after.Text().ShouldContain("I will call you at 7 as agreed.");
        var log = await portal.AccessLogAsync(reference);
        // One Edit row for the post, one View row for the page the redirect shows.
        log.Skip(before).Select(e => e.Action).ShouldBe([AccessAction.Edit, AccessAction.View]);
        log[before].What.ShouldBe("/Cases/File#Message");
    }

    [Fact]
    public async Task A_refused_change_still_logs_one_row_and_changes_nothing()
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));
        var before = (await portal.AccessLogAsync(reference)).Count;

        var page = await browser.SubmitAsync(file, [new("Reply.Body", "")], formSelector: "#reply-form");

        page.FieldErrors().ShouldContain("Write a message.");
        // The browser shows the answer at the form, where the message is, not at the top of the file.
        page.QuerySelector("#reply-form")!.GetAttribute("action")!.ShouldEndWith("#reply-form");
        var log = await portal.AccessLogAsync(reference);
        log.Skip(before).Select(e => e.Action).ShouldBe([AccessAction.Edit]);
    }

    [Fact]
    public async Task A_manager_must_state_a_reason_before_opening_a_case_not_theirs()
    {
        var reference = await portal.OpenCaseAsync("manager should not read this without a reason", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Manager);

        var form = await browser.GetAsync(CompanionWorld.FileUrl(reference));
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldEndWith("/break-the-glass");
        form.Text().ShouldNotContain("manager should not read this");
        var refused = await browser.SubmitAsync(form, [new("Input.Reason", "  ")], formSelector: "#break-the-glass-form");
        refused.FieldErrors().ShouldContain("State the reason in at least 10 characters.");
        (await portal.AccessLogAsync(reference)).ShouldNotContain(e => e.Action == AccessAction.BreakTheGlass);

        var file = await browser.SubmitAsync(refused, [new("Input.Reason", "The companion is on leave and the victim called the hotline.")], formSelector: "#break-the-glass-form");

        file.Text().ShouldContain("manager should not read this without a reason");
        var log = await portal.AccessLogAsync(reference);
        var managerId = await portal.StaffIdAsync(CompanionWorld.Manager);
        log.Where(e => e.StaffId == managerId).Select(e => e.Action).ShouldBe([AccessAction.BreakTheGlass, AccessAction.View]);
        log.Single(e => e.Action == AccessAction.BreakTheGlass).Reason.ShouldBe("The companion is on leave and the victim called the hotline.");
    }

    [Fact]
    public async Task The_victim_sees_who_opened_the_file_by_role_and_first_name()
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using (var browser = await portal.SignInAsync(CompanionWorld.Companion))
        {
            await browser.GetAsync(CompanionWorld.FileUrl(reference));
        }
        using (var other = await portal.SignInAsync(CompanionWorld.OtherCompanion))
        {
            await other.GetRawAsync(CompanionWorld.FileUrl(reference));
        }
        var caseId = await portal.CaseIdAsync(reference);

        var readers = await portal.WithDbAsync(db => CaseReaders.ByDayAsync(db, caseId, CancellationToken.None));

        var reader = readers.ShouldHaveSingleItem();
        reader.Role.ShouldBe(StaffRoles.Companion);
        reader.FirstName.ShouldBe(CompanionWorld.Companion.FirstName);
        reader.Count.ShouldBe(1);
        readers.ShouldNotContain(r => r.FirstName.Contains('@'));
    }

    [Fact]
    public async Task Safe_contact_preferences_and_warnings_come_before_any_contact_action()
    {
        // Safe hours that exclude every time of day but one minute: the warning shows whenever the test runs (almost surely).
        var now = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Seoul")).DateTime);
        var from = now.AddHours(3);
        var contact = new SafeContact(ContactChannel.Text, "010-1234-5678", null, from, from.AddMinutes(1), false, "umbrella");
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion, contact: contact);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        var track = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/investigation");

        var html = track.Body!.InnerHtml;
        html.IndexOf("safe-contact", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("activity-form", StringComparison.Ordinal));
        track.QuerySelector("[data-channel=Phone] .contact-warning")!.TextContent.ShouldContain("The victim did not choose this channel.");
        track.QuerySelector("[data-channel=Phone] .contact-warning")!.TextContent.ShouldContain("outside the victim's safe hours");
        var refused = await browser.SubmitAsync(track, [new("Activity.Kind", "Call"), new("Activity.OccurredAt", "2026-01-05T10:00"), new("Activity.DurationMinutes", "10")], formSelector: "#activity-form");
        refused.FieldErrors().ShouldContain(e => e.StartsWith("Read the safe-contact warnings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_referral_without_the_victims_consent_is_refused_and_shown()
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var partner = await portal.WithDbAsync(db => db.PartnerInstitutions.FirstAsync(p => p.Track == ServiceTrackKind.Psychological));
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var track = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/psychological");
        track.QuerySelector("#no-consent").ShouldNotBeNull();

        var refused = await browser.SubmitAsync(track, [new("Referral.PartnerId", partner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))], formSelector: "#referral-form");

        refused.FieldErrors().ShouldContain("The victim has not consented to referrals for this service. Ask for their consent first.");
        (await portal.WithDbAsync(async db => await db.Referrals.CountAsync(r => r.CaseId == db.Cases.Single(c => c.Reference == reference).Id))).ShouldBe(0);
    }

    [Fact]
    public async Task A_consent_naming_a_partner_shows_the_partners_name_and_one_without_says_any_partner()
    {
        var partner = await portal.WithDbAsync(db => db.PartnerInstitutions.FirstAsync(p => p.Track == ServiceTrackKind.Psychological));
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion,
            more: (c, _) =>
            {
                c.GiveConsent(ServiceTrackKind.Psychological, partner.Id, DateTimeOffset.UtcNow);
                c.GiveConsent(ServiceTrackKind.Legal, null, DateTimeOffset.UtcNow);
            });
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        var rows = file.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        rows.ShouldContain(partner.Name);
        rows.ShouldContain("Any partner");
    }

    [Fact]
    public async Task With_consent_a_referral_and_an_activity_land_on_the_track_and_timeline()
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion,
            more: (c, _) => c.GiveConsent(ServiceTrackKind.Psychological, null, DateTimeOffset.UtcNow));
        var partner = await portal.WithDbAsync(db => db.PartnerInstitutions.FirstAsync(p => p.Track == ServiceTrackKind.Psychological));
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var track = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/psychological");
        var when = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        track = await browser.SubmitAsync(track, [new("Referral.PartnerId", partner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))], formSelector: "#referral-form");
        track = await browser.SubmitAsync(track, [new("Activity.Kind", "Appointment"), new("Activity.OccurredAt", when + "T14:30"), new("Activity.Place", "Counselling room 3"), new("Activity.DurationMinutes", "50")], formSelector: "#activity-form");

        track.FieldErrors().ShouldBeEmpty();
        track.Text().ShouldContain(partner.Name);
        track.Text().ShouldContain(when + " 14:30");
        track.Text().ShouldContain("Counselling room 3");
        var agenda = await browser.GetAsync("/cases/agenda");
        agenda.Text().ShouldContain(reference);
        agenda.Text().ShouldContain("Counselling room 3");
    }

    [Fact]
    public async Task Closing_with_an_open_track_needs_a_reason_and_records_the_outcome()
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion,
            more: (c, companion) => c.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Active, companion!.Id, DateTimeOffset.UtcNow));
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var form = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/close");

        var refused = await browser.SubmitAsync(form, [new("Input.Outcome", "NoFurtherSupportWanted")], formSelector: "#close-form");
        refused.FieldErrors().ShouldContain("A service track is still open: state the reason for closing.");

        await browser.SubmitAsync(refused, [new("Input.Outcome", "NoFurtherSupportWanted"), new("Input.Note", "The victim asked to stop all support.")], formSelector: "#close-form");

        var closed = await portal.WithDbAsync(db => db.Cases.SingleAsync(c => c.Reference == reference));
        closed.Status.ShouldBe(CaseStatus.Closed);
        closed.Outcome.ShouldBe(CaseOutcome.NoFurtherSupportWanted);
    }

    [Fact]
    public async Task My_cases_lists_only_the_companions_own_cases()
    {
        var mine = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var theirs = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.OtherCompanion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        var list = await browser.GetAsync("/cases");

        list.Text().ShouldContain(mine);
        list.Text().ShouldNotContain(theirs);
    }

    [Theory]
    [InlineData("ko", "사례 파일", "안전한 연락")]
    [InlineData("en", "Case file", "Safe contact")]
    public async Task The_case_file_renders_in_Korean_and_English(string culture, string title, string safeContact)
    {
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion, culture);

        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        file.DocumentElement.GetAttribute("lang").ShouldBe(culture);
        file.Text().ShouldContain(title);
        file.Text().ShouldContain(safeContact);
        if (culture == "ko") file.Text().ShouldNotContain("Service tracks");
    }
}
