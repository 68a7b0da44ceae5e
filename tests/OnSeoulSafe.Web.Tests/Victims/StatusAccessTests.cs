using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class StatusAccessTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Refusal = "do not match";

    [Fact]
    public async Task The_reference_and_code_open_the_case_and_its_status()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);

        var page = await ReportJourney.OpenStatusAsync(browser, reference, code.ToLowerInvariant().Replace("-", " "));

        page.QuerySelector("h1")!.TextContent.ShouldContain(reference);
        page.QuerySelector("#case-status")!.TextContent.ShouldBe("Received");
        page.QuerySelector("#deletion-progress")!.TextContent.ShouldContain("https://video.example.com/watch/abc");
    }

    [Fact]
    public async Task A_wrong_code_and_an_unknown_reference_get_the_same_answer()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);

        var wrong = await ReportJourney.OpenStatusAsync(browser, reference, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        var unknown = await ReportJourney.OpenStatusAsync(browser, "SDS-2026-999999", code);

        wrong.FieldErrors().ShouldBe(unknown.FieldErrors());
        wrong.FieldErrors().Single().ShouldContain(Refusal);
        browser.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/status");
    }

    [Fact]
    public async Task Repeated_wrong_codes_lock_the_reference_even_for_the_right_code()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);

        for (var i = 0; i < 5; i++)
        {
            await ReportJourney.OpenStatusAsync(browser, reference, $"ZZZZ-ZZZZ-ZZZZ-ZZZ{i}");
        }
        var page = await ReportJourney.OpenStatusAsync(browser, reference, code);

        page.FieldErrors().Single().ShouldContain(Refusal);
        (await portal.WithDbAsync(db => db.Cases.Where(c => c.Reference == reference).Select(c => c.AccessLockedUntil).SingleAsync())).ShouldNotBeNull();
    }

    [Fact]
    public async Task A_victim_session_shows_only_its_own_case()
    {
        using var first = portal.Browser("en");
        using var second = portal.Browser("en");
        var (referenceA, codeA) = await ReportJourney.FileAsync(first);
        var (referenceB, _) = await ReportJourney.FileAsync(second);

        await ReportJourney.OpenStatusAsync(first, referenceA, codeA);
        var tampered = await first.GetAsync("/status/case?reference=" + referenceB + "&id=1");

        tampered.Text().ShouldContain(referenceA);
        tampered.Text().ShouldNotContain(referenceB);
    }

    [Fact]
    public async Task Status_pages_need_the_code_first()
    {
        using var browser = portal.Browser("en");

        var response = await browser.GetRawAsync("/status/case");

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/status");
    }

    [Fact]
    public async Task Each_status_visit_is_in_the_access_log_as_the_victim()
    {
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        await browser.GetAsync("/status/case");

        var rows = await portal.WithDbAsync(db => db.AccessLog.Where(e => db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference)).ToListAsync());

        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.StaffId == null && r.ActorRole == "Victim");
    }

    [Fact]
    public async Task The_victim_sees_who_opened_the_file_by_role_and_first_name_only()
    {
        await portal.SeedDemoAsync();
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        var companion = OnSeoulSafe.Web.Infrastructure.DemoData.Accounts[0];
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Reference == reference);
            var manager = await db.Users.SingleAsync(u => u.Email == "manager@onseoulsafe.example");
            @case.AssignTo(await db.Users.SingleAsync(u => u.Email == companion.Email), manager.Id, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        using (var staff = await OnSeoulSafe.Web.Tests.Companions.CompanionWorld.SignInAsync(portal, companion))
        {
            await staff.GetAsync("/cases/" + reference.ToLowerInvariant());
        }

        var page = await ReportJourney.OpenStatusAsync(victim, reference, code);

        var readers = page.QuerySelector("#readers")!.TextContent;
        readers.ShouldContain(companion.FirstName);
        readers.ShouldContain("Companion");
        readers.ShouldNotContain(companion.Email);
    }
}
