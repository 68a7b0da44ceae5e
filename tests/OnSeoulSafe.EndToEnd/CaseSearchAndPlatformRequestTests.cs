using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.EndToEnd.Support;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.EndToEnd;

/// <summary>
/// A manager finds a case by the victim's phone number (matched through its keyed hash, typed only into the form),
/// and requests deletion of one platform's links across two cases in one request.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class CaseSearchAndPlatformRequestTests(PortalServer portal)
{
    /// <summary>A case opened through the domain with deletion consent, the given contact and links.</summary>
    private async Task<string> CaseAsync(SafeContact contact, params (string Url, int PlatformId)[] links)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var now = portal.Clock.GetUtcNow();
        var number = await db.NextCaseNumberAsync(CancellationToken.None);
        var reference = CaseReference.New();
        var @case = OnSeoulSafe.Cases.Domain.Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim(null, "ko"), [CrimeType.DistributionWithoutConsent], "what happened", null,
            new RiskScreening(false, false, false, false), contact, TestSecrets.Fingerprints.AccessCode(reference, AccessCode.Generate()), now);
        @case.GiveConsent(ServiceTrackKind.Deletion, null, now);
        db.Cases.Add(@case);
        await db.SaveChangesAsync();
        if (links.Length > 0)
        {
            await scope.ServiceProvider.GetRequiredService<ContentLedger>().AddLinksAsync(@case,
                links.Select(l => new NewLink(l.Url, ContentKind.Video, l.PlatformId)).ToList(), ContentFinder.Victim, null, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        return reference;
    }

    [Fact]
    public async Task A_manager_finds_a_case_by_the_victims_phone_number()
    {
        // Arrange: a phone number of this run only, written with dashes; searched in international form.
        var digits = RandomNumberGenerator.GetInt32(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reference = await CaseAsync(new SafeContact(ContactChannel.Phone, $"010-{digits}-8181", null, null, null, true, null));
        await CaseAsync(new SafeContact(ContactChannel.Phone, $"010-{digits}-8182", null, null, null, true, null));
        var page = await portal.NewPageAsync("en-US");
        await portal.SignInAsync(page, StaffRoles.Manager);

        // Act
        await page.Locator("header nav a[href='/cases/search']").ClickAsync();
        await page.Locator("#Input_Phone").FillAsync($"+82 10 {digits} 8181");
        await page.Locator("#search-button").ClickAsync();
        await page.Locator("#search-results").WaitForAsync();

        // Assert: that case alone, its file one click away; the number is in no address.
        var rows = page.Locator("#search-table tr.search-row");
        (await rows.CountAsync()).ShouldBe(1);
        (await rows.First.GetAttributeAsync("data-case")).ShouldBe(reference);
        (await page.Locator($"#search-table a:text-is('{reference}')").GetAttributeAsync("href")).ShouldBe($"/cases/{reference.ToLowerInvariant()}");
        page.Url.ShouldNotContain(digits);
        (await page.Locator("#Input_Phone").InputValueAsync()).ShouldBe($"+82 10 {digits} 8181");
        // The filters fold away so the results come first on a phone, and open again to change the search.
        (await page.Locator("#search-filters").GetAttributeAsync("open")).ShouldBeNull();
        await page.Locator("#search-filters > summary").ClickAsync();
        await page.Locator("#Input_Phone").WaitForAsync(new() { State = WaitForSelectorState.Visible });
    }

    [Fact]
    public async Task A_manager_requests_one_platforms_links_across_cases_in_one_request()
    {
        // Arrange: a platform of this test and two cases with links on it.
        var name = "BulkBoard-" + RandomNumberGenerator.GetHexString(6, lowercase: true);
        var platformId = await portal.WithDbAsync(async db =>
        {
            var platform = new Platform(name, [$"{name.ToLowerInvariant()}.example.org"], RequestChannel.WebForm, $"https://{name.ToLowerInvariant()}.example.org/report",
                "{reference}\n{links}", "{reference}\n{links}");
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            return platform.Id;
        });
        var first = await CaseAsync(SafeContact.PortalOnly, ($"https://{name}.example.org/v/1", platformId));
        var second = await CaseAsync(SafeContact.PortalOnly, ($"https://{name}.example.org/v/2", platformId), ($"https://{name}.example.org/v/3", platformId));
        var page = await portal.NewPageAsync("en-US");
        await portal.SignInAsync(page, StaffRoles.Manager);

        // Act
        await page.GotoAsync("/cases/deletion-queue");
        await page.Locator("#by-platform").ClickAsync();
        var group = page.Locator($"#platform-groups tr[data-platform='{name}']");
        (await group.GetAttributeAsync("data-links")).ShouldBe("3");
        await group.Locator("select[name=language]").SelectOptionAsync("en");
        await group.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#request-text").WaitForAsync();

        // Assert: one text with both references and all three links; every link requested on its own ledger.
        var text = await page.Locator("#request-text").InputValueAsync();
        text.ShouldContain(first);
        text.ShouldContain(second);
        foreach (var n in new[] { 1, 2, 3 }) text.ShouldContain($"/v/{n}");
        (await page.Locator($"#platform-groups tr[data-platform='{name}']").CountAsync()).ShouldBe(0);
        var statuses = await portal.WithDbAsync(db => db.ContentItems.Where(i => i.PlatformId == platformId).Select(i => new { i.Status, Requests = i.Requests.Count }).ToListAsync());
        statuses.Count.ShouldBe(3);
        statuses.ShouldAllBe(s => s.Status == ContentStatus.Requested && s.Requests == 1);
    }
}
