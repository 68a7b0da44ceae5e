using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>
/// Case search (/cases/search) as managers and companions use it: every filter recounted against cases opened on a
/// day of the test's own (so other tests' cases never count), paging, sorting, the companion's limits, exact matches
/// on encrypted contact details and links, and one access-log row per case shown.
/// </summary>
public sealed class CaseSearchTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string SearchUrl = "/cases/search";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Noon in Seoul on <paramref name="day"/>.</summary>
    private static DateTimeOffset Noon(DateOnly day, int minutes = 0) => new DateTimeOffset(day.ToDateTime(new TimeOnly(3, 0)), TimeSpan.Zero).AddMinutes(minutes);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A case opened at <paramref name="openedAt"/> through the domain, with what each test needs of it.</summary>
    private async Task<string> CaseAsync(
        DateTimeOffset openedAt,
        DemoData.DemoAccount? assignTo = null,
        bool minor = false,
        CrimeType crime = CrimeType.DistributionWithoutConsent,
        SafeContact? contact = null,
        bool contacted = false,
        DemoData.DemoAccount? trackTo = null,
        string? link = null,
        int? platformId = null)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var number = await db.NextCaseNumberAsync(CancellationToken.None);
        var reference = CaseReference.New();
        var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim(null, "ko"), [crime], "what happened", null,
            new RiskScreening(false, false, false, minor), contact ?? SafeContact.PortalOnly,
            TestSecrets.Fingerprints.AccessCode(reference, AccessCode.Generate()), openedAt);
        @case.GiveConsent(ServiceTrackKind.Deletion, null, openedAt);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        if (assignTo is not null)
        {
            @case.AssignTo(await db.Users.SingleAsync(u => u.Email == assignTo.Email), manager.Id, openedAt);
            if (contacted) @case.RecordContact(openedAt.AddMinutes(30));
        }
        if (trackTo is not null) @case.HandOverTrack(ServiceTrackKind.Legal, await db.Users.SingleAsync(u => u.Email == trackTo.Email), manager.Id, openedAt);
        db.Cases.Add(@case);
        await db.SaveChangesAsync();
        if (link is not null)
        {
            await scope.ServiceProvider.GetRequiredService<ContentLedger>()
                .AddLinksAsync(@case, [new NewLink(link, ContentKind.Video, platformId)], ContentFinder.Victim, null, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        return reference;
    }

    private static List<string> References(IHtmlDocument page) =>
        page.QuerySelectorAll("#search-table tr.search-row").Select(r => r.GetAttribute("data-case")!).ToList();

    private static int Total(IHtmlDocument page) =>
        int.Parse(new string(page.QuerySelector("#results-heading")!.TextContent.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);

    private static Task<IHtmlDocument> SearchAsync(PortalBrowser browser, IHtmlDocument form, params (string Name, string Value)[] fields) =>
        browser.SubmitAsync(form, fields.Select(f => new KeyValuePair<string, string>("Input." + f.Name, f.Value)).ToList(),
            formSelector: "#case-search", submitName: "Input.PageNumber", submitValue: "1");

    [Fact]
    public async Task Each_filter_finds_exactly_the_cases_that_match_it()
    {
        // Arrange: four cases opened on one day of this test's own, one more the day after.
        var day = new DateOnly(2021, 3, 10);
        var platform = await portal.WithDbAsync(db => db.Platforms.OrderBy(p => p.Id).Select(p => new { p.Id, p.Name }).FirstAsync());
        var minorCase = await CaseAsync(Noon(day), CompanionWorld.Companion, minor: true, link: "https://video.example.com/watch/search-filter-1", platformId: platform.Id);
        var contactedCase = await CaseAsync(Noon(day, 10), CompanionWorld.OtherCompanion, crime: CrimeType.ThreatToDistribute, contacted: true);
        var waitingCase = await CaseAsync(Noon(day, 20));
        var deepfakeCase = await CaseAsync(Noon(day, 30), CompanionWorld.OtherCompanion, crime: CrimeType.DeepfakeComposite);
        await CaseAsync(Noon(day.AddDays(1)));
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync(SearchUrl);
        var range = new[] { ("From", Day(day)), ("To", Day(day)) };

        // Act and assert: each filter alone within the day, recounted by hand.
        async Task<List<string>> Found(params (string, string)[] filter)
        {
            var page = await SearchAsync(manager, form, [.. range, .. filter]);
            var found = References(page);
            Total(page).ShouldBe(found.Count);
            return found;
        }
        (await Found()).ShouldBe([deepfakeCase, waitingCase, contactedCase, minorCase], "newest first by default");
        (await Found(("Status", nameof(CaseStatus.Triaged)))).ShouldBe([waitingCase]);
        (await Found(("Priority", nameof(CasePriority.Emergency)))).ShouldBe([minorCase]);
        (await Found(("Priority", nameof(CasePriority.High)))).ShouldBe([contactedCase]);
        (await Found(("CrimeType", nameof(CrimeType.DeepfakeComposite)))).ShouldBe([deepfakeCase]);
        (await Found(("CompanionId", companionId.ToString()))).ShouldBe([minorCase]);
        (await Found(("PlatformId", platform.Id.ToString(CultureInfo.InvariantCulture)))).ShouldBe([minorCase]);
        (await Found(("MinorsOnly", "true"))).ShouldBe([minorCase]);
        (await Found(("OverdueOnly", "true"))).ShouldBe([deepfakeCase, waitingCase, minorCase], "the contacted case is not overdue");
        (await Found(("Reference", minorCase.ToLowerInvariant()))).ShouldBe([minorCase]);
        var nextDay = References(await SearchAsync(manager, form, ("From", Day(day.AddDays(1))), ("To", Day(day.AddDays(1)))));
        nextDay.ShouldNotContain(minorCase);
        nextDay.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task An_impossible_date_range_says_so_and_keeps_what_was_typed()
    {
        // Arrange
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync(SearchUrl);

        // Act
        var page = await SearchAsync(manager, form, ("From", "2021-05-02"), ("To", "2021-05-01"), ("Phone", "010-1111-2222"));

        // Assert
        manager.LastStatus.ShouldBe(System.Net.HttpStatusCode.OK);
        page.QuerySelector("#error-summary")!.TextContent.ShouldContain("The end date is before the start date.");
        page.QuerySelector<IHtmlInputElement>("#Input_Phone")!.Value.ShouldBe("010-1111-2222");
        page.QuerySelector<IHtmlInputElement>("#from")!.Value.ShouldBe("2021-05-02");
        page.QuerySelector("#search-results").ShouldBeNull();
    }

    [Fact]
    public async Task Results_come_a_page_at_a_time_sorted_as_asked_and_each_case_shown_is_logged_once()
    {
        // Arrange: thirty cases on one day, a minute apart.
        var day = new DateOnly(2021, 4, 14);
        var opened = new List<string>();
        for (var i = 0; i < 30; i++) opened.Add(await CaseAsync(Noon(day, i)));
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync(SearchUrl);

        // Act
        var first = await SearchAsync(manager, form, ("From", Day(day)), ("To", Day(day)), ("Sort", "Oldest"));
        var firstRows = References(first);
        var logAfterFirst = await portal.WithDbAsync(db => db.AccessLog.Where(e => e.What == CaseAccessLog.CaseSearchList)
            .Join(db.Cases, e => e.CaseId, c => c.Id, (e, c) => c.Reference).ToListAsync());
        var second = await manager.SubmitAsync(first, [], formSelector: "#case-search", submitName: "Input.PageNumber", submitValue: "2");
        var secondRows = References(second);

        // Assert: 25 then 5, oldest first, together every case once.
        Total(first).ShouldBe(30);
        firstRows.ShouldBe(opened.Take(SearchModelPageSize));
        first.QuerySelector("#page-of")!.TextContent.ShouldContain("1");
        secondRows.ShouldBe(opened.Skip(SearchModelPageSize));
        second.QuerySelector("#next-page").ShouldBeNull();
        second.QuerySelector("#previous-page").ShouldNotBeNull();
        foreach (var reference in opened)
        {
            logAfterFirst.Count(r => r == reference).ShouldBe(firstRows.Contains(reference) ? 1 : 0, reference);
            var log = await portal.AccessLogAsync(reference);
            log.Count(e => e.What == CaseAccessLog.CaseSearchList && e.Action == AccessAction.View && e.ActorRole == StaffRoles.Manager).ShouldBe(1, reference);
        }

        // Act: newest first turns the order round.
        var newest = References(await SearchAsync(manager, form, ("From", Day(day)), ("To", Day(day)), ("Sort", "Newest")));
        newest.ShouldBe(Enumerable.Reverse(opened).Take(SearchModelPageSize));
    }

    private const int SearchModelPageSize = OnSeoulSafe.Web.Pages.Cases.SearchModel.PageSize;

    [Fact]
    public async Task A_companion_finds_their_own_cases_and_those_where_they_hold_a_track_and_never_anothers()
    {
        // Arrange
        var day = new DateOnly(2021, 6, 1);
        var phone = "010-3030-4040";
        var mine = await CaseAsync(Noon(day), CompanionWorld.Companion);
        var tracked = await CaseAsync(Noon(day, 5), CompanionWorld.OtherCompanion, trackTo: CompanionWorld.Companion);
        var theirs = await CaseAsync(Noon(day, 10), CompanionWorld.OtherCompanion,
            contact: new SafeContact(ContactChannel.Phone, phone, null, null, null, true, null));
        var otherId = await portal.StaffIdAsync(CompanionWorld.OtherCompanion);
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var form = await companion.GetAsync(SearchUrl);

        // Act
        var all = References(await SearchAsync(companion, form, ("From", Day(day)), ("To", Day(day))));
        var byCompanion = References(await SearchAsync(companion, form, ("CompanionId", otherId.ToString()), ("From", Day(day)), ("To", Day(day))));
        var byPhone = await SearchAsync(companion, form, ("Phone", phone));

        // Assert
        all.ShouldBe([tracked, mine]);
        byCompanion.ShouldBe([tracked], "another companion's case shows only where this companion holds a track");
        References(byPhone).ShouldBeEmpty();
        Total(byPhone).ShouldBe(0);
        form.QuerySelector("#companion").ShouldBeNull("companions do not choose among colleagues");
        (await portal.AccessLogAsync(theirs)).ShouldNotContain(e => e.What == CaseAccessLog.CaseSearchList);
        (await portal.AccessLogAsync(tracked)).ShouldContain(e => e.What == CaseAccessLog.CaseSearchList && e.ActorRole == StaffRoles.Companion);
    }

    [Fact]
    public async Task A_phone_number_e_mail_address_or_link_finds_its_case_by_exact_match_through_keyed_hashes()
    {
        // Arrange
        var day = new DateOnly(2021, 7, 7);
        var link = "https://video.example.com/watch/search-exact-1";
        var reference = await CaseAsync(Noon(day), CompanionWorld.Companion,
            contact: new SafeContact(ContactChannel.Email, "010-2345-6789", "Search.Victim@Example.com", null, null, false, null), link: link);
        await CaseAsync(Noon(day, 1), CompanionWorld.Companion,
            contact: new SafeContact(ContactChannel.Phone, "010-2345-6780", "search.other@example.com", null, null, false, null));
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync(SearchUrl);

        // Act
        var byPhone = await SearchAsync(manager, form, ("Phone", "+82 10 2345 6789"));
        var byEmail = await SearchAsync(manager, form, ("Email", "search.victim@example.COM "));
        var byLink = await SearchAsync(manager, form, ("Link", "video.example.com/watch/search-exact-1/?utm_source=chat"));
        var byNearPhone = await SearchAsync(manager, form, ("Phone", "010-2345-678"));

        // Assert: exact matches only, and the search went by POST (nothing typed in an address).
        References(byPhone).ShouldBe([reference]);
        References(byEmail).ShouldBe([reference]);
        References(byLink).ShouldBe([reference]);
        References(byNearPhone).ShouldBeEmpty();
        manager.LastResponse!.RequestMessage!.Method.ShouldBe(HttpMethod.Post);
        manager.LastResponse.RequestMessage.RequestUri!.PathAndQuery.ShouldBe(SearchUrl);
        form.QuerySelector("#case-search")!.GetAttribute("method").ShouldBe("post");
        var stored = await portal.WithDbAsync(db => db.Cases.AsNoTracking().Where(c => c.Reference == reference)
            .Select(c => new { c.ContactPhoneLookup, c.ContactEmailLookup }).SingleAsync());
        stored.ContactPhoneLookup.ShouldBe(TestSecrets.Fingerprints.ContactPhone("01023456789"));
        stored.ContactEmailLookup.ShouldBe(TestSecrets.Fingerprints.ContactEmail("search.victim@example.com"));

        // Act: the victim changes her number; the lookup follows the field.
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Reference == reference);
            @case.ChangeSafeContact(@case.SafeContact with { PhoneNumber = "010-9999-0001" }, portal.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

        // Assert
        References(await SearchAsync(manager, form, ("Phone", "010-2345-6789"))).ShouldBeEmpty();
        References(await SearchAsync(manager, form, ("Phone", "01099990001"))).ShouldBe([reference]);
    }

    [Fact]
    public async Task Lookups_missing_on_cases_saved_before_search_existed_are_filled_without_changing_anything_else()
    {
        // Arrange: a case whose lookups were never written (as before the migration).
        var reference = await CaseAsync(Noon(new DateOnly(2021, 8, 8)), CompanionWorld.Companion,
            contact: new SafeContact(ContactChannel.Phone, "010-4444-5555", null, null, null, true, null));
        var id = await portal.CaseIdAsync(reference);
        await portal.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"Cases\" SET \"ContactPhoneLookup\" = NULL WHERE \"Id\" = {id}"));

        // Act
        var filled = await portal.WithDbAsync(db => ContactLookups.FillMissingAsync(db, CancellationToken.None));

        // Assert
        filled.ShouldBeGreaterThanOrEqualTo(1);
        var stored = await portal.WithDbAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == id));
        stored.ContactPhoneLookup.ShouldBe(TestSecrets.Fingerprints.ContactPhone("01044445555"));
        stored.SafeContact.PhoneNumber.ShouldBe("010-4444-5555");
    }
}
