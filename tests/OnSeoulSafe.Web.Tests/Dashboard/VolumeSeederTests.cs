using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Seeder;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

public sealed class VolumeSeederTests(SeederPortal portal) : IClassFixture<SeederPortal>
{
    [Fact]
    public async Task Generates_the_cases_asked_for_with_counters_equal_to_the_recount()
    {
        // Arrange
        await using var scope = portal.Scope();
        var seeder = ActivatorUtilities.CreateInstance<VolumeSeeder>(scope.ServiceProvider);

        // Act
        var result = await seeder.SeedAsync(2_000, append: false, seed: 7, CancellationToken.None);

        // Assert
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        (await db.Cases.CountAsync()).ShouldBe(2_000);
        (await db.ServiceTracks.CountAsync()).ShouldBe(12_000);
        (await db.Narratives.CountAsync()).ShouldBe(2_000);
        (await db.ContentItems.LongCountAsync()).ShouldBe(result.ContentItems);
        // The placeholder texts are bound to their rows, so the portal reads them (it refuses old-format or shared values).
        (await db.Narratives.AsNoTracking().OrderBy(n => n.CaseId).Take(20).ToListAsync()).ShouldAllBe(n => n.Text.Length > 0);
        (await db.ContentItems.AsNoTracking().OrderBy(i => i.Id).Take(20).ToListAsync()).ShouldAllBe(i => i.Url.Length > 0);
        var minorShare = await db.Cases.CountAsync(c => c.IsMinor) / 2_000.0;
        minorShare.ShouldBeInRange(0.10, 0.20);
        (await db.Cases.CountAsync(c => c.Status == CaseStatus.Closed && c.CreatedAt < DateTimeOffset.UtcNow.AddYears(-1)))
            .ShouldBeGreaterThan(await db.Cases.CountAsync(c => c.Status != CaseStatus.Closed && c.CreatedAt < DateTimeOffset.UtcNow.AddYears(-1)));
        var requested = await db.DeletionRequests.CountAsync(r => r.ResolvedAt != null);
        var deleted = await db.DeletionRequests.CountAsync(r => r.Outcome == ContentStatus.Deleted);
        ((double)deleted / requested).ShouldBeInRange(0.65, 0.77);
        // The reference sequence continues after the generated cases.
        (await db.NextCaseNumberAsync(CancellationToken.None)).ShouldBeGreaterThan(await db.Cases.MaxAsync(c => c.Id));

        await DashboardRecount.AssertCellsMatchRawTablesAsync(portal.ConnectionString);
        // The pages of the totals and of the cases are marked all-visible, so the dashboard's reads (counters,
        // waiting cases) are index-only scans from the first request.
        (await db.Database.SqlQueryRaw<int>(
                "SELECT relpages - relallvisible AS \"Value\" FROM pg_class WHERE relname IN ('DashboardTotals', 'Cases')").ToListAsync())
            .ShouldBe([0, 0]);
        var targets = new DashboardTargets();
        var figures = await new DashboardQueries(db).LoadAsync(DashboardFilter.None, targets, DateTimeOffset.UtcNow, CancellationToken.None);
        await DashboardRecount.AssertFiguresMatchRawTablesAsync(portal.ConnectionString, figures, DashboardFilter.None, targets);

        await Should.ThrowAsync<InvalidOperationException>(() => seeder.SeedAsync(10, append: false, seed: 8, CancellationToken.None));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=x", true)]
    [InlineData("Host=localhost;Database=x", true)]
    [InlineData("Host=::1;Database=x", true)]
    [InlineData("Host=db.example.com;Database=x", false)]
    [InlineData("Host=127.0.0.1,10.0.0.5;Database=x", false)]
    public void Only_loopback_databases_are_filled(string connectionString, bool allowed) =>
        VolumeSeeder.IsLoopback(connectionString).ShouldBe(allowed);
}

/// <summary>The large-load path: indexes dropped for the load and built again at its end, in the same transaction.</summary>
public sealed class VolumeSeederLargeLoadTests(SeederPortal portal) : IClassFixture<SeederPortal>
{
    private const string IndexDefinitions =
        """
        SELECT indexdef AS "Value" FROM pg_indexes
         WHERE schemaname = 'public' AND tablename IN ('Cases', 'Victims', 'Narratives', 'ServiceTracks', 'TimelineEvents', 'ContentItems', 'ContentItemEvents', 'DeletionRequests')
         ORDER BY 1
        """;

    [Fact]
    public async Task A_large_load_leaves_every_index_as_it_was_and_the_counters_equal_to_the_recount()
    {
        // Arrange
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var before = await db.Database.SqlQueryRaw<string>(IndexDefinitions).ToListAsync();
        var seeder = ActivatorUtilities.CreateInstance<VolumeSeeder>(scope.ServiceProvider);
        seeder.DeferIndexesFrom = 1;

        // Act
        var result = await seeder.SeedAsync(1_000, append: false, seed: 11, CancellationToken.None);

        // Assert
        result.IndexesRebuilt.ShouldBeGreaterThan(0);
        (await db.Database.SqlQueryRaw<string>(IndexDefinitions).ToListAsync()).ShouldBe(before);
        (await db.Cases.CountAsync()).ShouldBe(1_000);
        await DashboardRecount.AssertCellsMatchRawTablesAsync(portal.ConnectionString);
    }
}

/// <summary>The seeder drops and rebuilds indexes, so it works as the tables' owner, as `./build.sh seed` runs it.</summary>
public sealed class SeederPortal : PortalFactory
{
    protected override IDictionary<string, string?> ExtraConfiguration =>
        new Dictionary<string, string?> { [$"ConnectionStrings:{PortalDatabase.OwnerConnectionStringName}"] = ConnectionString };
}
