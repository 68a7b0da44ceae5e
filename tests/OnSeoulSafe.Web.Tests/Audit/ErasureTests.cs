using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Dashboard;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

public sealed class ErasureTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly DemoData.DemoAccount SecondManager =
        new("manager-erasure@onseoulsafe.example", "second-approver-yuna-2026", StaffRoles.Manager, "Yuna", "Kang Yuna", ["ko"]);

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        await using var scope = portal.Scope();
        var users = CompanionWorld.Users(scope);
        if (await users.FindByEmailAsync(SecondManager.Email) is null)
        {
            var member = new StaffMember { UserName = SecondManager.Email, Email = SecondManager.Email, FirstName = SecondManager.FirstName, FullName = SecondManager.FullName, CreatedAt = DateTimeOffset.UtcNow };
            (await users.CreateAsync(member, SecondManager.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(member, StaffRoles.Manager)).Succeeded.ShouldBeTrue();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A victim files a report (with links, phone, safe word and a nickname), writes a message and asks for erasure.</summary>
    private async Task<(PortalBrowser Victim, string Reference)> VictimAsksForErasureAsync()
    {
        var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        await ReportJourney.OpenStatusAsync(victim, reference, code);
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Reference == reference);
            @case.PostMessage(MessageSender.Victim, null, "Please call me after six.", portal.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        await victim.SubmitAsync(await victim.GetAsync("/status/withdraw"), [new("ConfirmErasure", "true")], formSelector: "#erase-form");
        return (victim, reference);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> DecideAsync(PortalBrowser manager, string reference, string handler, string? reason = null)
    {
        var page = await manager.GetAsync("/intake/erasure");
        var section = page.QuerySelectorAll("section.erasure-request").Single(s => s.TextContent.Contains(reference, StringComparison.Ordinal));
        var form = handler == "Approve" ? "form.erasure-approve" : "form.erasure-reject";
        return await manager.SubmitAsync(page, reason is null ? [] : [new("Input.Reason", reason)], formSelector: $"#{section.Id} {form}");
    }

    private Task<Case> LoadAsync(string reference) =>
        portal.WithDbAsync(db => db.Cases.Include(c => c.Victim).Include(c => c.Narrative).Include(c => c.Amendments).Include(c => c.Messages)
            .Include(c => c.ContentItems).Include(c => c.Timeline).AsSplitQuery().SingleAsync(c => c.Reference == reference));

    [Fact]
    public async Task Two_different_managers_must_approve_and_the_second_approval_erases_everything_identifying()
    {
        // Arrange
        var (victim, reference) = await VictimAsksForErasureAsync();
        using var _ = victim;
        var before = await LoadAsync(reference);
        before.ContentItems.ShouldNotBeEmpty();
        before.SafeContact.PhoneNumber.ShouldNotBeNull();
        using var first = await portal.SignInAsync(CompanionWorld.Manager);
        using var second = await portal.SignInAsync(SecondManager);

        // Act: the first manager approves, then tries to approve again alone.
        await DecideAsync(first, reference, "Approve");
        var refused = await DecideAsync(first, reference, "Approve");
        var afterFirst = await LoadAsync(reference);

        // Assert: nothing erased yet, and the same manager cannot give the second approval.
        refused.FieldErrors().ShouldContain("You gave the first approval: a second, different manager must approve.");
        afterFirst.Narrative.Text.ShouldBe(ReportJourney.Narrative);
        (await portal.WithDbAsync(db => db.ErasureRequests.SingleAsync(r => r.CaseId == afterFirst.Id))).Status.ShouldBe(ErasureStatus.FirstApproval);

        // Act: a different manager approves.
        await DecideAsync(second, reference, "Approve");

        // Assert: the identifying content is gone, the statistics stay.
        var erased = await LoadAsync(reference);
        erased.ErasedAt.ShouldNotBeNull();
        erased.Narrative.Text.ShouldBeEmpty();
        erased.Messages.ShouldAllBe(m => m.Body.Length == 0);
        erased.ContentItems.ShouldAllBe(i => i.Url.Length == 0);
        erased.SafeContact.PhoneNumber.ShouldBeNull();
        erased.SafeContact.SafeWord.ShouldBeNull();
        erased.Victim.Nickname.ShouldBeNull();
        erased.Status.ShouldBe(CaseStatus.Withdrawn);
        erased.CrimeTypes.ShouldBe(before.CrimeTypes);
        erased.CreatedAt.ShouldBe(before.CreatedAt);
        (await portal.WithDbAsync(db => db.ErasureRequests.SingleAsync(r => r.CaseId == erased.Id))).Status.ShouldBe(ErasureStatus.Completed);
        (await portal.WithDbAsync(db => db.AccessLog.CountAsync(e => e.CaseId == erased.Id && e.What == "Intake/Erasure:Erase"))).ShouldBe(1);
        await DashboardRecount.AssertCellsMatchRawTablesAsync(portal.ConnectionString);
        var status = await victim.GetAsync("/status/withdraw");
        status.QuerySelector("#erasure-result")!.TextContent.ShouldContain("Your data was erased");
    }

    [Fact]
    public async Task A_rejection_needs_a_reason_which_the_victim_then_sees()
    {
        var (victim, reference) = await VictimAsksForErasureAsync();
        using var _ = victim;
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        var missing = await DecideAsync(manager, reference, "Reject", " ");
        await DecideAsync(manager, reference, "Reject", "An investigation needs the file until the trial ends.");

        missing.FieldErrors().ShouldContain("Give the reason for rejecting; the victim will see it.");
        (await LoadAsync(reference)).Narrative.Text.ShouldBe(ReportJourney.Narrative);
        var status = await victim.GetAsync("/status/withdraw");
        status.QuerySelector("#erasure-result")!.TextContent.ShouldContain("An investigation needs the file until the trial ends.");
    }

    [Fact]
    public async Task Erasure_is_asked_for_once_with_what_goes_and_what_stays_and_nothing_is_sent_unconfirmed()
    {
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        await ReportJourney.OpenStatusAsync(victim, reference, code);

        var page = await victim.GetAsync("/status/withdraw");
        var unconfirmed = await victim.SubmitAsync(page, [], formSelector: "#erase-form");

        page.QuerySelector("#erasure-explained")!.TextContent.ShouldContain("What will be destroyed");
        page.QuerySelector("#erasure-explained")!.TextContent.ShouldContain("Counts for statistics, with nothing that identifies you");
        unconfirmed.FieldErrors().ShouldContain("Tick the box to confirm.");
        (await portal.WithDbAsync(db => db.ErasureRequests.CountAsync(r => db.Cases.Any(c => c.Id == r.CaseId && c.Reference == reference)))).ShouldBe(0);
    }

    [Fact]
    public async Task The_victim_can_cancel_after_a_first_approval_and_the_request_leaves_the_managers_queue()
    {
        // Arrange: she asks, a first manager approves.
        var (victim, reference) = await VictimAsksForErasureAsync();
        using var _ = victim;
        using var first = await portal.SignInAsync(CompanionWorld.Manager);
        await DecideAsync(first, reference, "Approve");

        // Act: she cancels from her status page.
        var withdraw = await victim.GetAsync("/status/withdraw");
        var cancelled = await victim.SubmitAsync(withdraw, [], formSelector: "#cancel-erasure-form");

        // Assert: nothing erased, the request is cancelled and on the timeline, gone from the queue, listed as cancelled.
        cancelled.QuerySelector(".alert-success")!.TextContent.ShouldContain("Your request was cancelled. Nothing was destroyed.");
        var @case = await LoadAsync(reference);
        @case.ErasedAt.ShouldBeNull();
        @case.Narrative.Text.ShouldBe(ReportJourney.Narrative);
        @case.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.ErasureCancelled && e.StaffId == null);
        (await portal.WithDbAsync(db => db.ErasureRequests.SingleAsync(r => r.CaseId == @case.Id))).Status.ShouldBe(ErasureStatus.Cancelled);
        var queue = await first.GetAsync("/intake/erasure");
        queue.QuerySelectorAll("section.erasure-request").ShouldNotContain(s => s.TextContent.Contains(reference, StringComparison.Ordinal));
        queue.QuerySelectorAll("#erasure-decided tr").Single(tr => tr.TextContent.Contains(reference, StringComparison.Ordinal)).TextContent.ShouldContain("Cancelled by the victim");
        var again = await victim.GetAsync("/status/withdraw");
        again.QuerySelector("#erasure-status")!.TextContent.ShouldContain("Cancelled");
        again.QuerySelector("#erase-form").ShouldNotBeNull();
        again.QuerySelector("#cancel-erasure-form").ShouldBeNull();
    }

    [Fact]
    public async Task After_erasure_the_status_page_promises_no_companion_and_shows_no_empty_rows()
    {
        // Arrange: erased by two managers.
        var (victim, reference) = await VictimAsksForErasureAsync();
        using var _ = victim;
        using var first = await portal.SignInAsync(CompanionWorld.Manager);
        using var second = await portal.SignInAsync(SecondManager);
        await DecideAsync(first, reference, "Approve");
        await DecideAsync(second, reference, "Approve");

        // Act
        var page = await victim.GetAsync("/status/case");
        var written = await victim.GetAsync("/status/written");

        // Assert
        page.Text().ShouldNotContain("A companion will be assigned");
        page.QuerySelector("#case-erased").ShouldNotBeNull();
        page.QuerySelectorAll("#deletion-progress li").ShouldBeEmpty();
        page.QuerySelectorAll("#messages li").ShouldBeEmpty();
        page.Text().ShouldContain("The links you gave us were destroyed with your personal data.");
        written.QuerySelector("#written-erased").ShouldNotBeNull();
        written.QuerySelector("#narrative-text").ShouldBeNull();
    }
}
