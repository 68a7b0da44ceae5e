using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

public sealed class AssignmentTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly DemoData.DemoAccount SecondManager =
        new("manager2@onseoulsafe.example", "second-manager-2026", StaffRoles.Manager, "Yuna", "Kang Yuna", ["ko"]);

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        await using var scope = portal.Scope();
        var users = CompanionWorld.Users(scope);
        if (await users.FindByEmailAsync(SecondManager.Email) is null)
        {
            var member = new StaffMember { UserName = SecondManager.Email, Email = SecondManager.Email, FirstName = SecondManager.FirstName, FullName = SecondManager.FullName };
            (await users.CreateAsync(member, SecondManager.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRoleAsync(member, StaffRoles.Manager)).Succeeded.ShouldBeTrue();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_queue_puts_emergencies_first_then_the_oldest()
    {
        var now = DateTimeOffset.UtcNow;
        var oldNormal = await portal.OpenCaseAsync("n", openedAt: now.AddDays(-3));
        var newEmergency = await portal.OpenCaseAsync("n", risk: new RiskScreening(false, false, false, true), openedAt: now.AddMinutes(-5));
        var newerNormal = await portal.OpenCaseAsync("n", openedAt: now.AddHours(-1));
        using var browser = await portal.SignInAsync(CompanionWorld.Manager);

        var queue = await browser.GetAsync("/intake");

        var order = queue.QuerySelectorAll("#intake-queue tbody tr td:first-child").Select(td => td.TextContent.Trim()).ToList();
        order.IndexOf(newEmergency).ShouldBeLessThan(order.IndexOf(oldNormal));
        order.IndexOf(oldNormal).ShouldBeLessThan(order.IndexOf(newerNormal));
    }

    [Fact]
    public async Task Suggestions_put_companions_who_speak_the_victims_language_first()
    {
        var reference = await portal.OpenCaseAsync("n", language: "en");
        using var browser = await portal.SignInAsync(CompanionWorld.Manager);

        var form = await browser.GetAsync("/intake/assign/" + reference.ToLowerInvariant());

        var first = form.QuerySelectorAll("#assign-form .form-check label")[0].TextContent;
        first.ShouldContain(CompanionWorld.Companion.FullName); // speaks ko and en; the other companion only ko
        first.ShouldContain("Speaks the victim's language");
    }

    [Fact]
    public async Task Among_companions_who_speak_the_victims_language_the_one_with_fewer_open_cases_is_suggested_first()
    {
        // Arrange: both demo companions speak Korean; the one whose name sorts first gets the heavier caseload,
        // so name order and caseload order disagree.
        var companions = new[] { CompanionWorld.Companion, CompanionWorld.OtherCompanion };
        var heavier = companions.OrderBy(c => c.FullName, StringComparer.Ordinal).First();
        var lighter = companions.Single(c => c != heavier);
        companions.ShouldAllBe(c => c.Languages.Contains("ko"));
        while (await OpenCasesOfAsync(heavier) <= await OpenCasesOfAsync(lighter) + 1)
        {
            await portal.OpenCaseAsync("n", assignTo: heavier);
        }
        var reference = await portal.OpenCaseAsync("n", language: "ko");
        using var browser = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var form = await browser.GetAsync("/intake/assign/" + reference.ToLowerInvariant());

        // Assert
        var labels = form.QuerySelectorAll("#assign-form .form-check label").Select(l => l.TextContent).ToList();
        labels.Count.ShouldBeGreaterThanOrEqualTo(2);
        labels[0].ShouldContain(lighter.FullName);
        labels[1].ShouldContain(heavier.FullName);
    }

    private Task<int> OpenCasesOfAsync(DemoData.DemoAccount companion) =>
        portal.WithDbAsync(db => db.Cases.CountAsync(c => c.AssignedCompanion!.Email == companion.Email && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn));

    /// <summary>A new case whose assignment form two managers have open: the first to assign the companion, the second the other one.</summary>
    private sealed class TwoOpenForms(string reference, PortalBrowser first, PortalBrowser second, IHtmlDocument firstForm, IHtmlDocument secondForm, string companionId, string otherId) : IDisposable
    {
        public string Reference => reference;
        public string CompanionId => companionId;

        public Task<IHtmlDocument> FirstAssignsAsync() => first.SubmitAsync(firstForm, [new("Input.CompanionId", companionId)], formSelector: "#assign-form");

        public Task<IHtmlDocument> SecondAssignsAsync() => second.SubmitAsync(secondForm, [new("Input.CompanionId", otherId)], formSelector: "#assign-form");

        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }

    private async Task<TwoOpenForms> TwoManagersOpenTheAssignmentFormAsync()
    {
        var reference = await portal.OpenCaseAsync("n");
        var url = "/intake/assign/" + reference.ToLowerInvariant();
        var first = await portal.SignInAsync(CompanionWorld.Manager);
        var second = await portal.SignInAsync(SecondManager);
        return new TwoOpenForms(reference, first, second, await first.GetAsync(url), await second.GetAsync(url),
            (await portal.StaffIdAsync(CompanionWorld.Companion)).ToString(), (await portal.StaffIdAsync(CompanionWorld.OtherCompanion)).ToString());
    }

    private Task<List<Assignment>> AssignmentsOfAsync(string reference) =>
        portal.WithDbAsync(db => db.Assignments.Where(a => a.CaseId == db.Cases.Single(c => c.Reference == reference).Id).ToListAsync());

    [Fact]
    public async Task Two_managers_assigning_at_once_end_with_one_assignment_and_a_message_to_the_other()
    {
        using var forms = await TwoManagersOpenTheAssignmentFormAsync();

        var results = await Task.WhenAll(forms.FirstAssignsAsync(), forms.SecondAssignsAsync());

        var assignments = await AssignmentsOfAsync(forms.Reference);
        assignments.Count.ShouldBe(1);
        var loser = results.Single(page => page.Text().Contains("Someone else changed this case's assignment", StringComparison.Ordinal));
        loser.QuerySelector("#current-companion")!.TextContent.ShouldNotBe("Not assigned");
        results.Count(page => page.Text().Contains("Intake queue", StringComparison.Ordinal) && page.QuerySelector("#assign-form") is null).ShouldBe(1);
    }

    [Fact]
    public async Task A_form_shown_before_someone_else_assigned_the_case_says_so_instead_of_asking_for_a_reason()
    {
        using var forms = await TwoManagersOpenTheAssignmentFormAsync();

        await forms.FirstAssignsAsync();
        var late = await forms.SecondAssignsAsync();

        late.Text().ShouldContain("Someone else changed this case's assignment");
        late.Text().ShouldNotContain("Say why the case changes hands.");
        (await AssignmentsOfAsync(forms.Reference)).ShouldHaveSingleItem().CompanionId.ToString().ShouldBe(forms.CompanionId);
    }

    [Fact]
    public async Task Reassignment_keeps_the_whole_file_for_the_new_companion()
    {
        var reference = await portal.OpenCaseAsync("The story is told once and only once.", assignTo: CompanionWorld.Companion);
        using (var companion = await portal.SignInAsync(CompanionWorld.Companion))
        {
            var file = await companion.GetAsync(CompanionWorld.FileUrl(reference));
            await companion.SubmitAsync(file, [new("Reply.Body", "Message before the handover")], formSelector: "#reply-form");
            var track = await companion.GetAsync(CompanionWorld.FileUrl(reference) + "/tracks/investigation");
            await companion.SubmitAsync(track, [new("Activity.Kind", "Note"), new("Activity.OccurredAt", "2026-02-01T09:00"), new("Activity.Note", "Statement draft ready")], formSelector: "#activity-form");
        }
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync("/intake/assign/" + reference.ToLowerInvariant());
        var otherId = (await portal.StaffIdAsync(CompanionWorld.OtherCompanion)).ToString();

        var withoutReason = await manager.SubmitAsync(form, [new("Input.CompanionId", otherId)], formSelector: "#assign-form");
        withoutReason.FieldErrors().ShouldContain("Say why the case changes hands.");
        await manager.SubmitAsync(withoutReason, [new("Input.CompanionId", otherId), new("Input.Reason", "Caseload balancing")], formSelector: "#assign-form");

        using var newCompanion = await portal.SignInAsync(CompanionWorld.OtherCompanion);
        var reassigned = await newCompanion.GetAsync(CompanionWorld.FileUrl(reference));
        reassigned.Text().ShouldContain("The story is told once and only once.");
        reassigned.Text().ShouldContain("Message before the handover");
        reassigned.Text().ShouldContain("Statement draft ready");
        reassigned.Text().ShouldContain("Reassigned");
        using var formerCompanion = await portal.SignInAsync(CompanionWorld.Companion);
        (await formerCompanion.GetRawAsync(CompanionWorld.FileUrl(reference))).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }
}
