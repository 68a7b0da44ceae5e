using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Dashboard;

/// <summary>
/// After a reproducible random mix of intakes, assignments, reassignments, contacts, priority and status changes,
/// track changes and deletion steps, each saved the way the pages save them, every dashboard figure equals a
/// plain recount over the raw tables.
/// </summary>
public sealed class DashboardRecountTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private readonly Random _random = new(20260301);
    private DateTimeOffset _now;
    private List<Guid> _companions = [];
    private Guid _manager;
    private List<int> _platforms = [];

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        _now = DateTimeOffset.UtcNow;
        await using var scope = portal.Scope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        _companions = (await users.GetUsersInRoleAsync(StaffRoles.Companion)).Select(u => u.Id).Order().ToList();
        _manager = (await users.GetUsersInRoleAsync(StaffRoles.Manager)).Single().Id;
        _platforms = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).ToListAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_figure_equals_the_raw_recount_after_a_random_mix_of_changes()
    {
        // Arrange: 400 changes of every kind, folding the ledger now and then
        for (var step = 0; step < 400; step++)
        {
            await ChangeSomethingAsync();
            if (step % 97 == 50) await portal.WithDbAsync(db => DashboardLedger.CompactAsync(db, CancellationToken.None));
        }
        var targets = new DashboardTargets(24, 1);
        var someCompanion = _companions[0];
        var filters = new[]
        {
            DashboardFilter.None,
            new DashboardFilter(CompanionId: someCompanion),
            new DashboardFilter(Crime: CrimeType.ThreatToDistribute, Minor: false),
            new DashboardFilter(From: DashboardFacts.MonthOf(_now).AddMonths(-5), To: DashboardFacts.MonthOf(_now).AddMonths(-1), Minor: true),
            new DashboardFilter(From: DashboardFacts.MonthOf(_now).AddMonths(-11), CompanionId: _companions[^1], Crime: CrimeType.IllegalFilming),
        };

        // Act + Assert
        await DashboardRecount.AssertCellsMatchRawTablesAsync(portal.ConnectionString);
        foreach (var filter in filters)
        {
            var figures = await portal.WithDbAsync(db => new DashboardQueries(db).LoadAsync(filter, targets, _now, CancellationToken.None));
            await DashboardRecount.AssertFiguresMatchRawTablesAsync(portal.ConnectionString, figures, filter, targets);
        }
        var allTime = await portal.WithDbAsync(db => new DashboardQueries(db).LoadAsync(DashboardFilter.None, targets, _now, CancellationToken.None));
        var statistics = await portal.WithDbAsync(db => new PlatformStatistics(db).ForPeriodAsync(_now.AddYears(-20), _now.AddDays(1), CancellationToken.None));
        allTime.Deletion.Sum(p => p.VerifiedGone).ShouldBeGreaterThan(0);
        allTime.Deletion.Sum(p => p.ReappearedAfterRemoval).ShouldBeGreaterThan(0);
        foreach (var p in allTime.Deletion)
        {
            var row = statistics.Single(s => s.PlatformId == p.PlatformId);
            (p.Requests, p.Deleted, p.Refused, p.NoResponse, p.VerifiedGone, p.Removed, p.ReappearedAfterRemoval)
                .ShouldBe(((long)row.Requests, (long)row.Deleted, (long)row.Refused, (long)row.NoResponse, (long)row.VerifiedGone, (long)row.Removed, (long)row.ReappearedAfterRemoval), $"platform {p.Platform}");
        }
    }

    private async Task ChangeSomethingAsync()
    {
        var roll = _random.Next(100);
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        try
        {
            if (roll < 30) await IntakeAsync(db);
            else if (roll < 65) await ChangeCaseAsync(db);
            else if (roll < 80) await ChangeTrackAsync(db);
            else await ChangeContentAsync(db);
        }
        catch (DomainRuleException)
        {
            // A refused step changes nothing, as on the pages.
        }
    }

    private async Task IntakeAsync(PortalDbContext db)
    {
        var at = _now.AddMinutes(-_random.Next(0, 60 * 24 * 420));
        var crimes = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => (CrimeType)_random.Next(0, 7)).ToList();
        var minor = _random.Next(6) == 0;
        var number = await db.NextCaseNumberAsync(CancellationToken.None);
        var @case = Case.Open(number, CaseReference.New(), Guid.NewGuid().ToByteArray(), new Victim(null, "ko"), crimes, "generated test narrative", null,
            new RiskScreening(false, _random.Next(5) == 0, false, minor), SafeContact.PortalOnly, new byte[32], at);
        for (var i = 0; i < _random.Next(0, 3); i++)
        {
            var link = $"https://video.example.com/watch/{number}-{i}";
            @case.ContentItems.Add(new ContentItem(number, link, TestSecrets.Fingerprints.ContentUrl(link),
                _random.Next(2) == 0 ? null : _platforms[_random.Next(_platforms.Count)], ContentKind.Video, ContentFinder.Victim, minor, at));
        }
        db.Cases.Add(@case);
        await db.SaveChangesAsync();
    }

    private async Task ChangeCaseAsync(PortalDbContext db)
    {
        var ids = await db.Cases.Select(c => c.Id).ToListAsync();
        if (ids.Count == 0) return;
        var pick = ids[_random.Next(ids.Count)];
        var @case = await db.Cases.Include(c => c.Assignments).Include(c => c.Tracks).SingleAsync(c => c.Id == pick);
        var at = Later(@case.CreatedAt);
        var companionId = _companions[_random.Next(_companions.Count)];
        var companion = await db.Users.SingleAsync(u => u.Id == companionId);
        switch (_random.Next(7))
        {
            case 0 or 1: @case.AssignTo(companion, _manager, at); break;
            case 2: @case.RecordContact(at); break;
            case 3: @case.SetPriority((CasePriority)_random.Next(3), _manager, at); break;
            case 4: @case.Close((CaseOutcome)_random.Next(5), "closing for the test", _manager, at); break;
            case 5: @case.Reopen(_manager, at); break;
            default: @case.Withdraw(at); break;
        }
        await db.SaveChangesAsync();
    }

    private async Task ChangeTrackAsync(PortalDbContext db)
    {
        var ids = await db.ServiceTracks.Select(t => t.Id).ToListAsync();
        var pick = ids[_random.Next(ids.Count)];
        var track = await db.ServiceTracks.SingleAsync(t => t.Id == pick);
        var to = (TrackStatus)_random.Next(1, 5);
        if (!ServiceTrack.CanMove(track.Status, to)) return;
        track.MoveTo(to, _now);
        await db.SaveChangesAsync();
    }

    private async Task ChangeContentAsync(PortalDbContext db)
    {
        var ids = await db.ContentItems.Select(i => i.Id).ToListAsync();
        if (ids.Count == 0) return;
        var pick = ids[_random.Next(ids.Count)];
        var item = await db.ContentItems.Include(i => i.Requests).SingleAsync(i => i.Id == pick);
        var at = Later(item.StatusChangedAt);
        switch (item.Status)
        {
            case ContentStatus.Found or ContentStatus.Refused or ContentStatus.NoResponse or ContentStatus.Reappeared when _random.Next(3) > 0:
                item.RequestDeletion(_platforms[_random.Next(_platforms.Count)], RequestChannel.WebForm, "ko", _manager, at);
                break;
            case ContentStatus.Requested when _random.Next(4) > 0:
                item.RecordOutcome(new[] { ContentStatus.Deleted, ContentStatus.Refused, ContentStatus.NoResponse }[_random.Next(3)], _manager, at);
                break;
            default:
                item.ApplyRecheck(_random.Next(2) == 0 ? RecheckOutcome.Gone : RecheckOutcome.StillUp, null, at);
                break;
        }
        await db.SaveChangesAsync();
    }

    /// <summary>A moment after <paramref name="after"/> and not in the future: minutes to weeks.</summary>
    private DateTimeOffset Later(DateTimeOffset after)
    {
        var at = after.AddMinutes(_random.Next(1, 60 * 24 * (_random.Next(3) == 0 ? 30 : 2)));
        return at > _now ? _now : at;
    }
}
