using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Work;

/// <summary>Every deletion request has a next step: the platform's answer, or a person's own check that the content is gone.</summary>
public sealed class DeletionAnswersTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string QueueUrl = "/cases/deletion-queue";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<int> PlatformIdAsync() => portal.WithDbAsync(db => db.Platforms.Where(p => p.Name == "ExampleSocial").Select(p => p.Id).SingleAsync());

    [Fact]
    public async Task A_companion_who_checked_a_requested_link_by_hand_records_it_verified_gone()
    {
        // Arrange: a link on her case, requested from its platform.
        var platformId = await PlatformIdAsync();
        var reference = await portal.OpenCaseAsync("narrative", assignTo: CompanionWorld.Companion);
        var itemId = await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Reference == reference);
            var ledger = new ContentLedger(db, TestSecrets.Fingerprints, portal.Clock);
            var added = await ledger.AddLinksAsync(@case, [new NewLink("https://social.example.com/p/by-hand", ContentKind.Image, platformId)], ContentFinder.Victim, null, CancellationToken.None);
            var item = added.Entries.Single().Item;
            item.RequestDeletion(platformId, RequestChannel.WebForm, "ko", null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return item.Id;
        });
        var companionId = await portal.StaffIdAsync(CompanionWorld.Companion);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var ledgerPage = await browser.GetAsync(CompanionWorld.FileUrl(reference) + "/deletion");

        // Act
        var done = await browser.SubmitAsync(ledgerPage, [new("Selected", itemId.ToString(CultureInfo.InvariantCulture))],
            formSelector: "form:has(#verified-by-hand)", submitName: "outcome", submitValue: "VerifiedGone", handler: "Outcome");

        // Assert
        done.FieldErrors().ShouldBeEmpty();
        var item = await portal.WithDbAsync(db => db.ContentItems.Include(i => i.History).Include(i => i.Requests).SingleAsync(i => i.Id == itemId));
        item.Status.ShouldBe(ContentStatus.VerifiedGone);
        item.History.ShouldContain(e => e.To == ContentStatus.VerifiedGone && e.StaffId == companionId && e.Note == "checked-by-hand");
        item.Requests.Single().VerifiedGoneAt.ShouldNotBeNull();
        item.Requests.Single().ResolvedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_manager_records_what_a_platform_answered_to_a_caseless_request_and_later_that_it_is_gone()
    {
        // Arrange: a monitor's link of no known case, requested by a manager.
        var platformId = await PlatformIdAsync();
        var itemId = await portal.WithDbAsync(async db =>
        {
            var ledger = new ContentLedger(db, TestSecrets.Fingerprints, portal.Clock);
            var entry = await ledger.AddCaselessAsync(new NewLink("https://social.example.com/p/caseless-answer", ContentKind.Video, platformId), ContentFinder.CitizenMonitor, false, CancellationToken.None);
            entry!.Item.RequestDeletion(platformId, RequestChannel.Email, "ko", null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
            return entry.Item.Id;
        });
        var reference = ContentLedger.CaselessReference(itemId);
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);

        // Act
        var companionQueue = await companion.GetAsync(QueueUrl);
        var queue = await manager.GetAsync(QueueUrl);
        var refused = await manager.SubmitAsync(queue, [], formSelector: $"#caseless-awaiting tr[data-reference='{reference}'] form", submitName: "outcome", submitValue: "Refused");
        var refusedStatus = await portal.WithDbAsync(db => db.ContentItems.Where(i => i.Id == itemId).Select(i => i.Status).SingleAsync());
        var gone = await manager.SubmitAsync(refused, [], formSelector: $"#caseless-awaiting tr[data-reference='{reference}'] form", submitName: "outcome", submitValue: "VerifiedGone");

        // Assert
        companionQueue.QuerySelector("#caseless-awaiting").ShouldBeNull();
        refused.QuerySelector("#done")!.TextContent.ShouldContain(reference);
        refusedStatus.ShouldBe(ContentStatus.Refused);
        gone.FieldErrors().ShouldBeEmpty();
        var item = await portal.WithDbAsync(db => db.ContentItems.Include(i => i.Requests).SingleAsync(i => i.Id == itemId));
        item.Status.ShouldBe(ContentStatus.VerifiedGone);
        item.Requests.Single().Outcome.ShouldBe(ContentStatus.Refused);
        gone.QuerySelector($"#caseless-awaiting tr[data-reference='{reference}']").ShouldBeNull("nothing is left to answer");
    }
}
