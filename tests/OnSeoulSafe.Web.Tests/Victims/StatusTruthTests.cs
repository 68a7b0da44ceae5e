using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>What the victim's status pages say matches what the case file holds: schedule, services, readers, her own words.</summary>
public sealed class StatusTruthTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(PortalBrowser Browser, string Reference)> SignedInAsync(string culture = "en")
    {
        var browser = portal.Browser(culture);
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        return (browser, reference);
    }

    /// <summary>Changes the case as a companion's pages would, straight in the database.</summary>
    private async Task WorkOnCaseAsync(string reference, Action<Case, Guid, DateTimeOffset> work)
    {
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Tracks).Include(c => c.Consents).AsSplitQuery().SingleAsync(c => c.Reference == reference);
            work(@case, companionId, portal.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task The_schedule_shows_every_planned_date_with_her_home_visits_and_accompaniments_included()
    {
        // Arrange: a home visit, a police accompaniment and five appointments ahead; a call already made.
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;
        await WorkOnCaseAsync(reference, (c, staff, now) =>
        {
            c.LogActivity(ServiceTrackKind.DailyLifeRecovery, TimelineEventKind.HomeVisit, staff, now.AddDays(2), "Home", 60, null, now);
            c.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Accompaniment, staff, now.AddDays(3), "Mapo police station", 90, null, now);
            for (var day = 4; day <= 8; day++)
            {
                c.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Appointment, staff, now.AddDays(day), "Law office", 30, null, now);
            }
            c.LogActivity(ServiceTrackKind.Psychological, TimelineEventKind.Note, staff, now.AddDays(1), null, null, "internal", now);
        });

        // Act
        var page = await browser.GetAsync("/status/case");

        // Assert: seven planned dates in order, the first the home visit, the note is not a date with her.
        var items = page.QuerySelectorAll("#appointments li").Select(li => li.TextContent).ToList();
        items.Count.ShouldBe(7);
        items[0].ShouldContain("Home visit");
        items[1].ShouldContain("We go with you");
        items[1].ShouldContain("Mapo police station");
        items.Skip(2).ShouldAllBe(i => i.Contains("Appointment"));
    }

    [Fact]
    public async Task A_service_she_never_agreed_to_or_withdrew_from_says_so_instead_of_in_progress()
    {
        // Arrange: the report agreed to investigation and deletion support; a companion starts legal support
        // anyway, then she withdraws her consent to deletion support.
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;
        await WorkOnCaseAsync(reference, (c, staff, now) =>
        {
            c.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Active, staff, now);
            c.ChangeTrackStatus(ServiceTrackKind.Investigation, TrackStatus.Active, staff, now);
        });
        await browser.SubmitAsync(await browser.GetAsync("/status/consents"), [new("Tracks", "Investigation")]);

        // Act
        var page = await browser.GetAsync("/status/case");

        // Assert
        var progress = Progress(page);
        progress["Legal support"].ShouldBe("Not agreed");
        progress["Deletion of the content"].ShouldBe("Consent withdrawn");
        progress["Medical support"].ShouldBe("Not agreed");
        progress["Investigation support"].ShouldBe("Active");
    }

    [Fact]
    public async Task The_service_states_read_in_korean()
    {
        var (browser, reference) = await SignedInAsync("ko");
        using var _ = browser;
        await browser.SubmitAsync(await browser.GetAsync("/status/consents"), [new("Tracks", "Investigation")]);

        var cells = (await browser.GetAsync("/status/case")).QuerySelectorAll("#service-progress tbody td:nth-child(2)").Select(td => td.TextContent.Trim()).ToList();

        cells.ShouldContain("동의하지 않음");
        cells.ShouldContain("동의를 철회함");
    }

    private static Dictionary<string, string> Progress(IHtmlDocument page) =>
        page.QuerySelectorAll("#service-progress tbody tr").ToDictionary(
            tr => tr.QuerySelector("td")!.TextContent.Trim(),
            tr => tr.QuerySelectorAll("td")[1].TextContent.Trim());

    [Fact]
    public async Task Who_opened_my_file_shows_one_line_per_person_and_korean_day_with_a_count()
    {
        // Arrange: the companion opened the file thirty times on one Korean day (which spans two UTC dates), twice the next.
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;
        var caseId = await portal.CaseIdAsync(reference);
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        var koreanMidnight = new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero); // 2026-12-01 00:00 in Seoul
        await portal.WithDbAsync(db =>
        {
            for (var i = 0; i < 30; i++)
            {
                CaseAccessLog.Record(db, koreanMidnight.AddMinutes(30 * i), companionId, StaffRoles.Companion, caseId, AccessAction.View, "/Cases/File");
            }
            CaseAccessLog.Record(db, koreanMidnight.AddDays(1), companionId, StaffRoles.Companion, caseId, AccessAction.View, "/Cases/File");
            CaseAccessLog.Record(db, koreanMidnight.AddDays(1).AddMinutes(5), companionId, StaffRoles.Companion, caseId, AccessAction.Edit, "/Cases/Track");
            return db.SaveChangesAsync();
        });

        // Act
        var lines = (await browser.GetAsync("/status/case")).QuerySelectorAll("#readers li").Select(li => li.TextContent).ToList();

        // Assert
        lines.Count.ShouldBe(2);
        lines[0].ShouldStartWith("2026-12-02");
        lines[0].ShouldContain(CompanionWorld.Companion.FirstName);
        lines[0].ShouldContain("opened 2 time(s)");
        lines[1].ShouldStartWith("2026-12-01");
        lines[1].ShouldContain("opened 30 time(s)");
    }

    [Fact]
    public async Task She_can_read_again_what_she_wrote_and_the_read_is_logged_as_her_own()
    {
        // Arrange
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;
        await browser.SubmitAsync(await browser.GetAsync("/status/amend"), [new("Addition", "He wrote to me again on Sunday.\nFrom a new account.")]);
        var caseId = await portal.CaseIdAsync(reference);
        var readsBefore = await CountWrittenReadsAsync(caseId);

        // Act
        var page = await browser.GetAsync("/status/written");

        // Assert
        page.QuerySelector("#narrative-text")!.TextContent.ShouldBe(ReportJourney.Narrative);
        page.QuerySelector("#additions")!.TextContent.ShouldContain("He wrote to me again on Sunday.\nFrom a new account.");
        page.Text().ShouldContain("2026-10-01");
        (await CountWrittenReadsAsync(caseId)).ShouldBe(readsBefore + 1);
        var read = await portal.WithDbAsync(db => db.AccessLog.Where(e => e.CaseId == caseId && e.What == "Status/Written").SingleAsync());
        read.StaffId.ShouldBeNull();
        read.ActorRole.ShouldBe(CaseAccessLog.VictimRole);
        read.Action.ShouldBe(AccessAction.View);
    }

    private Task<int> CountWrittenReadsAsync(long caseId) =>
        portal.WithDbAsync(db => db.AccessLog.CountAsync(e => e.CaseId == caseId && e.What == "Status/Written"));

    [Fact]
    public async Task Links_without_a_scheme_are_completed_and_repeats_are_only_mentioned_when_there_are_some()
    {
        // Arrange
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        // Act
        var first = await browser.SubmitAsync(await browser.GetAsync("/status/links"), [new("Links", "t.me/somechannel/12\nwww.example.com/x")]);
        var again = await browser.SubmitAsync(await browser.GetAsync("/status/links"), [new("Links", "T.ME/somechannel/12\nt.me/somechannel/12\nvideo.example.com/watch/abc")]);

        // Assert
        first.QuerySelector(".alert-success")!.TextContent.Trim().ShouldBe("2 new link(s) added.");
        again.QuerySelector(".alert-success")!.TextContent.ShouldContain("Nothing new was added. What you had already given is kept once.");
        var urls = await portal.WithDbAsync(db => db.ContentItems.Where(i => db.Cases.Any(c => c.Id == i.CaseId && c.Reference == reference)).Select(i => i.Url).ToListAsync());
        urls.ShouldContain("https://t.me/somechannel/12");
        urls.ShouldContain("https://www.example.com/x");
        urls.Count.ShouldBe(4);
    }
}
