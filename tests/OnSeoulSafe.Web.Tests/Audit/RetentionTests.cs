using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Retention;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Dashboard;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

public sealed class RetentionTests(RetentionTests.RetentionPortal portal) : IClassFixture<RetentionTests.RetentionPortal>, IAsyncLifetime
{
    /// <summary>A short retention period, so the test clock can pass it.</summary>
    public sealed class RetentionPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?> { ["Portal:Retention:ClosedCaseDays"] = "30" };
    }

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> WithdrawnCaseAsync()
    {
        var reference = await portal.OpenCaseAsync("He posted my photos.", contact: new SafeContact(ContactChannel.Phone, "010-9999-0000", null, null, null, true, "kettle"),
            openedAt: portal.Clock.GetUtcNow());
        await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Timeline).SingleAsync(c => c.Reference == reference);
            @case.Withdraw(portal.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        return reference;
    }

    private async Task<int> RunRetentionAsync()
    {
        await using var scope = portal.Scope();
        return await scope.ServiceProvider.GetRequiredService<RetentionRunner>().RunOnceAsync(CancellationToken.None);
    }

    private Task<Case> LoadAsync(string reference) =>
        portal.WithDbAsync(db => db.Cases.Include(c => c.Narrative).AsSplitQuery().SingleAsync(c => c.Reference == reference));

    [Fact]
    public async Task Closed_cases_are_erased_once_the_retention_period_has_passed_and_not_before()
    {
        // Arrange: one case withdrawn 31 days ago (by the test clock), one withdrawn today, one still open.
        var old = await WithdrawnCaseAsync();
        portal.Clock.Advance(TimeSpan.FromDays(31));
        var recent = await WithdrawnCaseAsync();
        var open = await portal.OpenCaseAsync("Still being helped.", openedAt: portal.Clock.GetUtcNow().AddDays(-400));

        // Act
        var erased = await RunRetentionAsync();
        var again = await RunRetentionAsync();

        // Assert
        erased.ShouldBe(1);
        again.ShouldBe(0);
        var oldCase = await LoadAsync(old);
        oldCase.ErasedAt.ShouldNotBeNull();
        oldCase.Narrative.Text.ShouldBeEmpty();
        oldCase.SafeContact.PhoneNumber.ShouldBeNull();
        oldCase.SafeContact.SafeWord.ShouldBeNull();
        oldCase.Status.ShouldBe(CaseStatus.Withdrawn);
        (await LoadAsync(recent)).Narrative.Text.ShouldBe("He posted my photos.");
        (await LoadAsync(open)).Narrative.Text.ShouldBe("Still being helped.");
        (await portal.WithDbAsync(db => db.AccessLog.CountAsync(e => e.CaseId == oldCase.Id && e.ActorRole == RetentionRunner.ActorRole))).ShouldBe(1);
        await DashboardRecount.AssertCellsMatchRawTablesAsync(portal.ConnectionString);
    }
}
