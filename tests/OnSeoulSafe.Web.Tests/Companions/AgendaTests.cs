using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>The companion's agenda as a week and a month, and the calendar feed behind a secret, revocable address.</summary>
public sealed class AgendaTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Day(DateTimeOffset at) => KoreaTime.ToKorea(at).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A case of the companion with a hearing, a home visit and an accompaniment planned on one day, ten days ahead.</summary>
    private async Task<(string Reference, DateTimeOffset At)> PlannedCaseAsync(DemoData.DemoAccount companion)
    {
        var at = KoreaTime.StartOfDay(portal.Clock.GetUtcNow()).AddDays(10).AddHours(10);
        var reference = await portal.OpenCaseAsync("narrative", assignTo: companion, more: (c, staff) =>
        {
            var now = portal.Clock.GetUtcNow();
            c.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Hearing, staff!.Id, at, "Seoul Central District Court room 501", 90, "bring the statement", now);
            c.LogActivity(ServiceTrackKind.DailyLifeRecovery, TimelineEventKind.HomeVisit, staff.Id, at.AddHours(3), "her flat", 60, null, now);
            c.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Accompaniment, staff.Id, at.AddHours(5), "Gangnam police station", null, null, now);
        });
        return (reference, at);
    }

    [Fact]
    public async Task Week_and_month_views_show_every_kind_of_planned_date_on_its_day()
    {
        // Arrange
        var (mine, at) = await PlannedCaseAsync(CompanionWorld.Companion);
        var (theirs, _) = await PlannedCaseAsync(CompanionWorld.OtherCompanion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var week = await browser.GetAsync($"/cases/agenda?view=week&date={Day(at)}");
        var month = await browser.GetAsync($"/cases/agenda?view=month&date={Day(at)}");

        // Assert
        foreach (var (page, id) in new[] { (week, "#agenda-week"), (month, "#agenda-month") })
        {
            var cell = page.QuerySelector($"{id} td[data-day='{Day(at)}']")!;
            // Other tests of this class plan dates for the same companion on the same day: this case's are read.
            var items = cell.QuerySelectorAll(".agenda-item").Select(i => i.TextContent.Trim()).Where(t => t.Contains(mine, StringComparison.Ordinal)).ToList();
            items.Count.ShouldBe(3);
            items[0].ShouldContain(mine);
            items[0].ShouldContain("Hearing");
            items[1].ShouldContain("Home visit");
            items[2].ShouldContain("Accompaniment");
            page.Text().ShouldNotContain(theirs);
            // A phone shows the same items as a list under the grid, each under its day.
            var listed = page.QuerySelectorAll("#agenda-days li.agenda-item").Select(i => i.TextContent.Trim()).Where(t => t.Contains(mine, StringComparison.Ordinal)).ToList();
            listed.ShouldBe(items);
            page.QuerySelector("#agenda-days")!.TextContent.ShouldContain(Day(at));
        }
        week.QuerySelectorAll("#agenda-week tbody tr").Length.ShouldBe(1);
        month.QuerySelectorAll("#agenda-month tbody tr").Length.ShouldBeGreaterThanOrEqualTo(4);
        var next = week.QuerySelector("#agenda-next")!.GetAttribute("href")!;
        var later = await browser.GetAsync(next);
        later.Text().ShouldNotContain(mine);
        // An unreadable date is today's week, not an error.
        await browser.GetAsync("/cases/agenda?view=week&date=not-a-date");
    }

    [Fact]
    public async Task The_calendar_feed_names_only_case_numbers_and_kinds_and_its_address_can_be_renewed_and_revoked()
    {
        // Arrange
        var (reference, at) = await PlannedCaseAsync(CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await browser.GetAsync("/cases/agenda/feed");

        // Act: make an address and subscribe to it without signing in.
        var made = await browser.SubmitAsync(page, [], formSelector: "#feed-renew");
        var address = new Uri(made.QuerySelector("#feed-url")!.TextContent.Trim());
        using var calendarApp = portal.Browser(null);
        var feed = await calendarApp.GetRawAsync(address.PathAndQuery);

        // Assert: the feed, in the calendar format, with the reference and the kind and nothing about the victim.
        feed.StatusCode.ShouldBe(HttpStatusCode.OK);
        feed.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        var ics = await feed.Content.ReadAsStringAsync();
        ics.ShouldStartWith("BEGIN:VCALENDAR\r\n");
        ics.ShouldContain("DTSTART:" + at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        ics.ShouldContain($"SUMMARY:{reference} · 재판 기일");
        ics.Split("\r\n").Count(l => l.StartsWith("SUMMARY:" + reference, StringComparison.Ordinal)).ShouldBe(3);
        ics.ShouldNotContain("Court room");
        ics.ShouldNotContain("police station");
        ics.ShouldNotContain("statement");
        ics.ShouldNotContain("LOCATION");

        // Only the token's SHA-256 is kept.
        var token = address.AbsolutePath["/calendar/".Length..^".ics".Length];
        var me = await portal.StaffIdAsync(CompanionWorld.Companion);
        var stored = await portal.WithDbAsync(db => db.CalendarFeeds.SingleAsync(f => f.StaffId == me));
        stored.TokenHash.ShouldBe(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

        // Renewing stops the old address; revoking stops the new one.
        var renewed = await browser.SubmitAsync(await browser.GetAsync("/cases/agenda/feed"), [], formSelector: "#feed-renew");
        var second = new Uri(renewed.QuerySelector("#feed-url")!.TextContent.Trim());
        second.ShouldNotBe(address);
        (await calendarApp.GetRawAsync(address.PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await calendarApp.GetRawAsync(second.PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var revoked = await browser.SubmitAsync(await browser.GetAsync("/cases/agenda/feed"), [], formSelector: "#feed-revoke");
        revoked.QuerySelector("#feed-state")!.TextContent.ShouldContain("revoked");
        (await calendarApp.GetRawAsync(second.PathAndQuery)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await calendarApp.GetRawAsync("/calendar/not-a-token.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
