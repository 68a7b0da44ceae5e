using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Security;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>
/// A lost code comes back through the companion, not through whoever asks: the request opens nothing, the companion
/// approves after checking through the safe contact, the old code stops working, and only the holder of the pickup
/// code collects the new one, once. Every step is in the access log; no code or safe word reaches a log line.
/// </summary>
public sealed class CodeRecoveryTests(LogCanaryTests.RecordingPortal portal) : IClassFixture<LogCanaryTests.RecordingPortal>
{
    [Fact]
    public async Task The_whole_path_from_a_lost_code_to_a_new_one()
    {
        // Arrange: her report (text messages, safe word "umbrella"), assigned to a companion; a session still open.
        await portal.SeedDemoAsync();
        using var victim = portal.Browser("en");
        var (reference, oldCode) = await ReportJourney.FileAsync(victim);
        await AssignAsync(reference);
        using var openSession = portal.Browser("en");
        await ReportJourney.OpenStatusAsync(openSession, reference, oldCode);
        using var stranger = portal.Browser("en");

        // Act 1: she asks (lowercase, without dashes: forgiving input).
        var asked = await AskAsync(victim, reference.ToLowerInvariant().Replace("-", " "));
        var confirmation = asked.QuerySelector("#confirmation-number")!.TextContent.Trim();
        var pickup = asked.QuerySelector("#pickup-code")!.TextContent.Trim();

        // Assert 1: asking opened nothing, and collecting before approval gives nothing.
        asked.Text().ShouldNotContain(ReportJourney.Narrative);
        asked.Text().ShouldNotContain("umbrella");
        confirmation.ShouldMatch(@"^\d{4}$");
        var early = await CollectAsync(victim, reference, pickup);
        early.QuerySelector("#new-code").ShouldBeNull();
        early.FieldErrors().ShouldContain(e => e.Contains("not have confirmed", StringComparison.Ordinal));
        (await ReportJourney.OpenStatusAsync(victim, reference, oldCode)).QuerySelector("#case-status").ShouldNotBeNull("the old code works until the companion approves");

        // Act 2: the companion sees the request on the case file, with the safe contact and the confirmation number, and approves.
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        var file = await companion.GetAsync(CompanionWorld.FileUrl(reference));
        file.QuerySelector("#code-recovery-waiting").ShouldNotBeNull();
        var recovery = await companion.GetAsync(CompanionWorld.FileUrl(reference) + "/recovery");
        recovery.QuerySelector(".confirmation-number")!.TextContent.ShouldBe(confirmation);
        recovery.Text().ShouldContain("umbrella");
        recovery.Text().ShouldNotContain(pickup);
        await companion.SubmitAsync(recovery, [], "#recovery-requests form[action*='handler=Approve']");

        // Assert 2: the old code and the open session no longer work; a stranger with the reference alone collects nothing.
        (await ReportJourney.OpenStatusAsync(victim, reference, oldCode)).QuerySelector("#case-status").ShouldBeNull();
        (await openSession.GetRawAsync("/status/case")).Headers.Location!.AbsolutePath.ShouldBe("/status");
        (await CollectAsync(stranger, reference, "AAAA-BBBB-CCCC-DDDD")).QuerySelector("#new-code").ShouldBeNull();

        // Act 3: she collects the new code with her pickup code.
        var collected = await CollectAsync(victim, reference, pickup);
        var newCode = collected.QuerySelector("#new-code")!.TextContent.Trim();

        // Assert 3: the new code opens the case; the pickup code works once; the old code stays dead.
        newCode.ShouldNotBe(oldCode);
        (await ReportJourney.OpenStatusAsync(victim, reference, newCode)).QuerySelector("#case-status").ShouldNotBeNull();
        (await CollectAsync(stranger, reference, pickup)).QuerySelector("#new-code").ShouldBeNull();
        (await ReportJourney.OpenStatusAsync(victim, reference, oldCode)).QuerySelector("#case-status").ShouldBeNull();

        // Every step is in the access log, and nothing secret or personal is in any log line.
        var caseId = await portal.CaseIdAsync(reference);
        var log = await portal.WithDbAsync(db => db.AccessLog.Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());
        log.ShouldContain(e => e.ActorRole == CaseAccessLog.VictimRole && e.What == "Status/Recover#Ask");
        log.ShouldContain(e => e.StaffId != null && e.Action == AccessAction.View && e.What.Contains("Recovery", StringComparison.Ordinal));
        log.ShouldContain(e => e.StaffId != null && e.Action == AccessAction.Edit && e.What.Contains("Recovery", StringComparison.Ordinal));
        log.ShouldContain(e => e.ActorRole == CaseAccessLog.VictimRole && e.What == "Status/Recover#Collect");
        foreach (var secret in new[] { pickup, newCode, oldCode, "umbrella", "010-1234-5678" })
        {
            portal.Logs.Lines.ShouldNotContain(line => line.Contains(secret, StringComparison.Ordinal), secret);
        }
        // Four digits turn up in any log by chance (timings, ids), so the confirmation number is checked where it could be written.
        foreach (var secret in new[] { pickup, newCode, oldCode, confirmation, "umbrella", "010-1234-5678" })
        {
            log.ShouldNotContain(e => e.What.Contains(secret, StringComparison.Ordinal) || (e.Reason ?? "").Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_declined_request_changes_nothing_and_its_pickup_code_collects_nothing()
    {
        // Arrange
        await portal.SeedDemoAsync();
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        await AssignAsync(reference);
        using var asker = portal.Browser("en");
        var pickup = (await AskAsync(asker, reference)).QuerySelector("#pickup-code")!.TextContent.Trim();
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var recovery = await companion.GetAsync(CompanionWorld.FileUrl(reference) + "/recovery");
        await companion.SubmitAsync(recovery, [], "#recovery-requests form[action*='handler=Decline']");

        // Assert
        (await CollectAsync(victim, reference, pickup)).QuerySelector("#new-code").ShouldBeNull();
        (await ReportJourney.OpenStatusAsync(victim, reference, code)).QuerySelector("#case-status").ShouldNotBeNull();
        (await companion.GetAsync(CompanionWorld.FileUrl(reference))).QuerySelector("#code-recovery-waiting").ShouldBeNull();
    }

    [Fact]
    public async Task Asking_for_an_unknown_reference_looks_the_same_and_reaches_no_case()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var (reference, _) = await ReportJourney.FileAsync(browser);
        var before = await portal.WithDbAsync(db => db.CodeRecoveries.CountAsync());

        // Act
        var known = await AskAsync(browser, reference);
        var unknown = await AskAsync(browser, CaseReference.New());

        // Assert: the same page (a confirmation and a pickup code) for both; the unknown one is tied to no case.
        Shape(known).ShouldBe(Shape(unknown));
        (await portal.WithDbAsync(db => db.CodeRecoveries.CountAsync())).ShouldBe(before + 2);
        (await portal.WithDbAsync(db => db.CodeRecoveries.OrderBy(r => r.Id).Select(r => r.CaseId).LastAsync())).ShouldBeNull();
        static string Shape(IHtmlDocument page) => string.Join("|",
            page.QuerySelector("main")!.QuerySelectorAll("*").Where(e => !e.ClassList.Contains("code-box")).Select(e => e.LocalName + ":" + (e.Children.Length == 0 ? e.TextContent.Trim() : "")));
    }

    [Fact]
    public async Task A_typo_in_the_reference_is_named_before_anything_is_asked()
    {
        using var browser = portal.Browser("en");
        var (reference, _) = await ReportJourney.FileAsync(browser);
        var typo = reference[..^1] + (reference[^1] == 'A' ? 'B' : 'A');

        var page = await AskAsync(browser, typo);

        page.QuerySelector("#pickup-code").ShouldBeNull();
        page.FieldErrors().ShouldContain(e => e.Contains("typing mistake", StringComparison.Ordinal));
    }

    private static async Task<IHtmlDocument> AskAsync(PortalBrowser browser, string reference) =>
        await browser.SubmitAsync(await browser.GetAsync("/status/recover"), [new("Reference", reference)], "#ask-form");

    private static async Task<IHtmlDocument> CollectAsync(PortalBrowser browser, string reference, string pickup) =>
        await browser.SubmitAsync(await browser.GetAsync("/status/recover"), [new("Reference", reference), new("PickupCode", pickup)], "#collect-form");

    private Task<int> AssignAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Reference == reference);
            var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
            @case.AssignTo(await db.Users.SingleAsync(u => u.Email == CompanionWorld.Companion.Email), manager.Id, portal.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
}
