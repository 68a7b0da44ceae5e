using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>
/// Ids of another case's links, tracks and events posted to the handlers of one's own case: the other case is never
/// touched, whatever the form says. Access is decided by the case in the address; every id must belong to it.
/// </summary>
public sealed class CrossCaseIdsTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private string _mine = "";
    private string _theirs = "";
    private long _mineItem;
    private long _theirsFound;
    private long _theirsRequested;
    private long _theirsWithoutPlatform;

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        (_mine, var mineItems) = await CaseWithLinksAsync(CompanionWorld.Companion, requestFirst: false, "https://video.example.com/watch/cross-mine-1");
        (_theirs, var theirItems) = await CaseWithLinksAsync(CompanionWorld.OtherCompanion, requestFirst: true,
            "https://video.example.com/watch/cross-theirs-requested", "https://video.example.com/watch/cross-theirs-found", "https://unknown.example.org/post/cross-theirs");
        _mineItem = mineItems[0];
        (_theirsRequested, _theirsFound, _theirsWithoutPlatform) = (theirItems[0], theirItems[1], theirItems[2]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>A case with deletion consent, an active legal track and the given links; optionally the first one already requested.</summary>
    private async Task<(string Reference, List<long> Items)> CaseWithLinksAsync(DemoData.DemoAccount companion, bool requestFirst, params string[] links)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var ledger = scope.ServiceProvider.GetRequiredService<ContentLedger>();
        var now = portal.Clock.GetUtcNow();
        var @case = await TestCases.OpenAsync(db, now, deletionConsent: true);
        var member = await db.Users.SingleAsync(u => u.Email == companion.Email);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        @case.AssignTo(member, manager.Id, now);
        @case.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Active, member.Id, now);
        await ledger.AddLinksAsync(@case, links.Select(l => new NewLink(l, ContentKind.Video)).ToList(), ContentFinder.Victim, null, CancellationToken.None);
        await db.SaveChangesAsync();
        var ids = await db.ContentItems.Where(i => i.CaseId == @case.Id).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync();
        if (requestFirst)
        {
            await ledger.RequestDeletionAsync(@case, [ids[0]], "ko", member.Id, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        return (@case.Reference, ids);
    }

    /// <summary>Everything a handler of another case could change on this one.</summary>
    private Task<string> FootprintAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Reference == reference);
            var items = await db.ContentItems.AsNoTracking().Where(i => i.CaseId == c.Id).OrderBy(i => i.Id)
                .Select(i => $"{i.Id}:{i.Status}:{i.PlatformId}:{i.StatusChangedAt:O}").ToListAsync();
            var itemEvents = await db.ContentItemEvents.CountAsync(e => db.ContentItems.Any(i => i.Id == e.ContentItemId && i.CaseId == c.Id));
            var requests = await db.DeletionRequests.CountAsync(r => db.ContentItems.Any(i => i.Id == r.ContentItemId && i.CaseId == c.Id));
            var tracks = await db.ServiceTracks.AsNoTracking().Where(t => t.CaseId == c.Id).OrderBy(t => t.Id)
                .Select(t => $"{t.Id}:{t.Status}:{t.ResponsibleStaffId}").ToListAsync();
            var events = await db.TimelineEvents.CountAsync(e => e.CaseId == c.Id);
            var messages = await db.Messages.CountAsync(m => m.CaseId == c.Id);
            var referrals = await db.Referrals.CountAsync(r => r.CaseId == c.Id);
            return $"v{c.Version} {c.Status} items[{string.Join(' ', items)}] itemEvents {itemEvents} requests {requests} tracks[{string.Join(' ', tracks)}] events {events} messages {messages} referrals {referrals}";
        });

    private Task<ContentStatus> StatusOfAsync(long itemId) => portal.WithDbAsync(db => db.ContentItems.Where(i => i.Id == itemId).Select(i => i.Status).SingleAsync());

    [Fact]
    public async Task The_deletion_ledger_ignores_links_of_another_case_in_every_handler()
    {
        // Arrange
        var before = await FootprintAsync(_theirs);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var ledgerUrl = $"/cases/{_mine.ToLowerInvariant()}/deletion";
        var page = await browser.GetAsync(ledgerUrl);
        var token = page.QuerySelector<IHtmlInputElement>("#ledger-form input[name=__af]")!.Value;
        KeyValuePair<string, string> Selected(long id) => new("Selected", Id(id));

        // Act: their links alone, mixed with mine, through each action; their link's platform; then "all".
        var onlyTheirs = await browser.SubmitAsync(page, [Selected(_theirsFound)], "#ledger-form", submitName: "scope", submitValue: "selected", handler: "Request");
        var mixed = await browser.SubmitAsync(page, [Selected(_mineItem), Selected(_theirsFound)], "#ledger-form", submitName: "scope", submitValue: "selected", handler: "Request");
        var deleted = await browser.SubmitAsync(page, [Selected(_theirsRequested)], "#ledger-form", submitName: "outcome", submitValue: "Deleted", handler: "Outcome");
        var refused = await browser.SubmitAsync(page, [Selected(_theirsRequested)], "#ledger-form", submitName: "outcome", submitValue: "Refused", handler: "Outcome");
        var platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        var platform = await browser.PostAsync(ledgerUrl + "?handler=Platform", [new("__af", token), new("itemId", Id(_theirsWithoutPlatform)), new("platformId", Id(platformId))]);
        await browser.SubmitAsync(page, [Selected(_theirsFound)], "#ledger-form", submitName: "scope", submitValue: "all", handler: "Request");

        // Assert
        foreach (var answer in new[] { onlyTheirs, mixed, deleted, refused, platform })
        {
            answer.FieldErrors().ShouldNotBeEmpty();
        }
        (await FootprintAsync(_theirs)).ShouldBe(before);
        (await StatusOfAsync(_theirsFound)).ShouldBe(ContentStatus.Found);
        (await StatusOfAsync(_theirsRequested)).ShouldBe(ContentStatus.Requested);
        // "All" acted on this case's own link only.
        (await StatusOfAsync(_mineItem)).ShouldBe(ContentStatus.Requested);
    }

    [Fact]
    public async Task Track_and_message_forms_carrying_another_cases_ids_change_only_the_case_in_the_address()
    {
        // Arrange
        var theirCaseId = await portal.CaseIdAsync(_theirs);
        var theirTrack = await portal.WithDbAsync(db => db.ServiceTracks.Where(t => t.CaseId == theirCaseId && t.Kind == ServiceTrackKind.Legal).Select(t => t.Id).SingleAsync());
        var theirEvent = await portal.WithDbAsync(db => db.TimelineEvents.Where(e => e.CaseId == theirCaseId).Select(e => e.Id).FirstAsync());
        KeyValuePair<string, string>[] theirIds =
        [
            new("reference", _theirs), new("caseId", Id(theirCaseId)), new("id", Id(theirTrack)), new("trackId", Id(theirTrack)),
            new("ServiceTrackId", Id(theirTrack)), new("eventId", Id(theirEvent)), new("Activity.Id", Id(theirEvent)), new("Reply.CaseId", Id(theirCaseId)),
        ];
        var before = await FootprintAsync(_theirs);
        var mineBefore = await FootprintAsync(_mine);
        var otherCompanion = await portal.StaffIdAsync(CompanionWorld.OtherCompanion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var track = await browser.GetAsync(CompanionWorld.FileUrl(_mine) + "/tracks/legal");

        // Act
        track = await browser.SubmitAsync(track, [.. theirIds], "#status-form", submitName: "to", submitValue: "OnHold");
        track = await browser.SubmitAsync(track, [.. theirIds, new("HandOver.StaffId", otherCompanion.ToString())], "#handover-form");
        track = await browser.SubmitAsync(track, [.. theirIds, new("Activity.Kind", "Note"), new("Activity.OccurredAt", "2026-02-01T09:00"), new("Activity.Note", "cross-case note")], "#activity-form");
        var file = await browser.GetAsync(CompanionWorld.FileUrl(_mine));
        await browser.SubmitAsync(file, [.. theirIds, new("Reply.Body", "cross-case reply")], formSelector: "#reply-form");

        // Assert
        track.FieldErrors().ShouldBeEmpty();
        (await FootprintAsync(_theirs)).ShouldBe(before);
        (await FootprintAsync(_mine)).ShouldNotBe(mineBefore);
        var mineId = await portal.CaseIdAsync(_mine);
        var legal = await portal.WithDbAsync(db => db.ServiceTracks.SingleAsync(t => t.CaseId == mineId && t.Kind == ServiceTrackKind.Legal));
        legal.Status.ShouldBe(TrackStatus.OnHold);
        legal.ResponsibleStaffId.ShouldBe(otherCompanion);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == mineId && e.Kind == TimelineEventKind.Note))).ShouldBe(1);
        (await portal.WithDbAsync(db => db.Messages.CountAsync(m => m.CaseId == mineId))).ShouldBe(1);
    }
}
