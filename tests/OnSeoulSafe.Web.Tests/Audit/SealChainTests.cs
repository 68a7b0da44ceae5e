using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

public sealed class SealChainTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sealed_entries_verify_as_an_unbroken_chain_on_the_auditors_page()
    {
        await portal.WriteEntriesAsync(5);
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        portal.Clock.Advance(TimeSpan.FromSeconds(10));

        var page = await auditor.SubmitAsync(await auditor.GetAsync("/audit/verify"), [], handler: "Seal");

        var report = await portal.VerifyAsync();
        report.Break.ShouldBeNull();
        report.UnsealedOlderEntries.ShouldBe(0);
        report.UnbrokenThrough.ShouldBe(await portal.WithDbAsync(db => db.AccessLog.LongCountAsync(e => e.At < portal.Clock.GetUtcNow().AddSeconds(-5))));
        page.QuerySelector("#chain-unbroken")!.TextContent.ShouldContain($"Unbroken up to seal {report.UnbrokenThrough}");
        page.QuerySelector("#chain-broken").ShouldBeNull();
    }

    [Fact]
    public async Task An_entry_that_commits_late_joins_the_chain_with_a_later_seal()
    {
        // Arrange: one transaction draws an id and holds it while a later entry commits and is sealed.
        await using var slow = new NpgsqlConnection(PortalDatabase.ConnectionString(portal.Services.GetRequiredService<IConfiguration>()));
        await slow.OpenAsync();
        await using var transaction = await slow.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            """INSERT INTO "AccessLog" ("At", "StaffId", "ActorRole", "CaseId", "Action", "What") VALUES (@at, gen_random_uuid(), 'Companion', 77, 'View', 'Cases/File') RETURNING "Id" """,
            slow, transaction);
        insert.Parameters.AddWithValue("at", portal.Clock.GetUtcNow());
        var lateId = (long)(await insert.ExecuteScalarAsync())!;
        var early = (await portal.WriteEntriesAsync(1)).Single();
        await portal.SealAsync();

        // Act
        await transaction.CommitAsync();
        await portal.SealAsync();

        // Assert
        lateId.ShouldBeLessThan(early);
        var seals = await portal.WithDbAsync(db => db.AccessLogSeals.Where(s => s.EntryId == lateId || s.EntryId == early).ToDictionaryAsync(s => s.EntryId, s => s.SealNumber));
        seals[lateId].ShouldBeGreaterThan(seals[early]);
        var report = await portal.VerifyAsync();
        report.Break.ShouldBeNull();
        report.UnbrokenThrough.ShouldBeGreaterThanOrEqualTo(seals[lateId]);
    }

    [Fact]
    public async Task The_hash_of_a_link_covers_every_field_of_the_entry()
    {
        var entry = new AccessLogEntry(DateTimeOffset.UnixEpoch, Guid.Empty, "Companion", 1, AccessAction.View, "Cases/File", null);
        var other = new AccessLogEntry(DateTimeOffset.UnixEpoch, Guid.Empty, "Companion", 1, AccessAction.View, "Cases/Fil", "e");

        var hash = AccessLogChain.Link(AccessLogChain.Genesis, 1, entry);

        hash.ShouldNotBe(AccessLogChain.Link(AccessLogChain.Genesis, 1, other));
        hash.ShouldNotBe(AccessLogChain.Link(AccessLogChain.Genesis, 2, entry));
        hash.ShouldNotBe(AccessLogChain.Link(new byte[32].Select(_ => (byte)1).ToArray(), 1, entry));
        hash.ShouldBe(AccessLogChain.Link(AccessLogChain.Genesis, 1, entry));
    }
}

/// <summary>Tampering breaks the chain for good, so each case gets its own database.</summary>
public sealed class ChangedEntryTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Changing_a_sealed_entry_is_found_at_its_seal_and_shown_to_the_auditor()
    {
        var ids = await portal.WriteEntriesAsync(4);
        await portal.SealAsync();
        var seal = await portal.WithDbAsync(db => db.AccessLogSeals.Where(s => s.EntryId == ids[2]).Select(s => s.SealNumber).SingleAsync());

        await portal.AsOwnerAsync($"""UPDATE "AccessLog" SET "What" = 'Cases/Index' WHERE "Id" = {ids[2]}""");

        var report = await portal.VerifyAsync();
        report.Break.ShouldBe(new ChainBreak(seal, ids[2], ChainBreakKind.EntryChanged));
        report.UnbrokenThrough.ShouldBe(seal - 1);
        using var auditor = await portal.SignInAsync(CompanionWorld.Auditor);
        var page = await auditor.GetAsync("/audit/verify");
        page.QuerySelector("#chain-broken")!.TextContent.ShouldContain($"Seal {seal}: entry {ids[2]} has been changed");
    }
}

public sealed class DeletedEntryTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Deleting_a_sealed_entry_is_found_at_its_seal()
    {
        var ids = await portal.WriteEntriesAsync(4);
        await portal.SealAsync();
        var seal = await portal.WithDbAsync(db => db.AccessLogSeals.Where(s => s.EntryId == ids[1]).Select(s => s.SealNumber).SingleAsync());

        await portal.AsOwnerAsync($"""DELETE FROM "AccessLog" WHERE "Id" = {ids[1]}""");

        var report = await portal.VerifyAsync();
        report.Break.ShouldBe(new ChainBreak(seal, ids[1], ChainBreakKind.EntryMissing));
    }

}

public sealed class DeletedSealTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Deleting_a_seal_leaves_a_gap_in_the_chain()
    {
        var ids = await portal.WriteEntriesAsync(3);
        await portal.SealAsync();
        var seal = await portal.WithDbAsync(db => db.AccessLogSeals.Where(s => s.EntryId == ids[1]).Select(s => s.SealNumber).SingleAsync());

        await portal.AsOwnerAsync($"""DELETE FROM "AccessLogSeals" WHERE "SealNumber" = {seal}""");

        var report = await portal.VerifyAsync();
        report.Break.ShouldBe(new ChainBreak(seal, 0, ChainBreakKind.SealMissing));
    }
}
