using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

public sealed class ContentLedgerTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<T> WithLedgerAsync<T>(Func<PortalDbContext, ContentLedger, Task<T>> work)
    {
        await using var scope = portal.Scope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>(), scope.ServiceProvider.GetRequiredService<ContentLedger>());
    }

    [Fact]
    public async Task The_same_link_added_twice_is_merged_into_one_item_with_its_platform_matched()
    {
        // Arrange
        var caseId = await portal.WithDbAsync(async db => (await TestCases.OpenAsync(db, Now)).Id);

        // Act
        var first = await WithLedgerAsync(async (db, ledger) =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Id == caseId);
            var result = await ledger.AddLinksAsync(@case,
                [new NewLink("https://VIDEO.example.com/watch/merge-1/?utm_source=x", ContentKind.Video),
                 new NewLink("https://video.example.com/watch/merge-1#t=3", ContentKind.Video),
                 new NewLink("javascript:alert(1)", ContentKind.Post)],
                ContentFinder.Victim, null, CancellationToken.None);
            await db.SaveChangesAsync();
            return result;
        });
        var second = await WithLedgerAsync(async (db, ledger) =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Id == caseId);
            var result = await ledger.AddLinksAsync(@case, [new NewLink("http://video.example.com/watch/merge-1", ContentKind.Video), new NewLink("https://video.example.com/watch/merge-1/", ContentKind.Video, Sha256: new string('a', 64))],
                ContentFinder.CitizenMonitor, null, CancellationToken.None);
            await db.SaveChangesAsync();
            return result;
        });

        // Assert
        first.AddedCount.ShouldBe(1);
        first.Rejected.ShouldBe([2]);
        second.AddedCount.ShouldBe(1); // http and https are different links
        second.MergedCount.ShouldBe(1);
        var items = await portal.WithDbAsync(db => db.ContentItems.Include(c => c.Platform).Where(c => c.CaseId == caseId).OrderBy(c => c.Id).ToListAsync());
        items.Select(i => i.Url).ShouldBe(["https://video.example.com/watch/merge-1", "http://video.example.com/watch/merge-1"]);
        items[0].Platform!.Name.ShouldBe("ExampleTube");
        items[0].Sha256.ShouldBe(new string('a', 64));
        items[0].FoundBy.ShouldBe(ContentFinder.Victim);
    }

    [Fact]
    public async Task A_minors_links_enter_the_request_queue_first_without_anyone_asking()
    {
        // Arrange: an adult without deletion consent, an adult with it, and a minor without it.
        var (adult, consenting, minor) = await portal.WithDbAsync(async db =>
            (await TestCases.OpenAsync(db, Now), await TestCases.OpenAsync(db, Now, deletionConsent: true), await TestCases.OpenAsync(db, Now, minor: true)));
        await WithLedgerAsync(async (db, ledger) =>
        {
            foreach (var (id, link) in new[] { (consenting.Id, "https://video.example.com/q/consent"), (adult.Id, "https://video.example.com/q/adult"), (minor.Id, "https://video.example.com/q/minor") })
            {
                await ledger.AddLinksAsync(await db.Cases.SingleAsync(c => c.Id == id), [new NewLink(link, ContentKind.Video)], ContentFinder.Victim, null, CancellationToken.None);
            }
            return await db.SaveChangesAsync();
        });

        // Act
        var queue = await WithLedgerAsync((_, ledger) => ledger.RequestQueueAsync(1000, CancellationToken.None));

        // Assert
        var mine = queue.Where(q => q.CaseId == adult.Id || q.CaseId == consenting.Id || q.CaseId == minor.Id).ToList();
        mine.Select(q => q.CaseId).ShouldBe([minor.Id, consenting.Id]);
        mine[0].IsMinor.ShouldBeTrue();
        mine[0].Proactive.ShouldBeTrue();
        mine[1].Proactive.ShouldBeFalse();
        queue[0].IsMinor.ShouldBeTrue();
        var minorItem = await portal.WithDbAsync(db => db.ContentItems.SingleAsync(c => c.CaseId == minor.Id));
        minorItem.IsMinor.ShouldBeTrue();
    }

    [Fact]
    public async Task Request_all_sends_one_text_per_platform_without_the_name_then_many_are_marked_deleted()
    {
        // Arrange: the victim gave a name and consented to deletion support, but not to being named.
        var caseId = await portal.WithDbAsync(async db => (await TestCases.OpenAsync(db, Now, nickname: "Minji", deletionConsent: true)).Id);
        var companion = await portal.WithDbAsync(db => db.Users.Where(u => u.Email == "companion@onseoulsafe.example").Select(u => u.Id).SingleAsync());
        await WithLedgerAsync(async (db, ledger) =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Id == caseId);
            await ledger.AddLinksAsync(@case,
                [new NewLink("https://video.example.com/r/1", ContentKind.Video), new NewLink("https://video.example.com/r/2", ContentKind.Video),
                 new NewLink("https://social.example.net/r/3", ContentKind.Post), new NewLink("https://unknown.example.org/r/4", ContentKind.Image)],
                ContentFinder.Victim, null, CancellationToken.None);
            return await db.SaveChangesAsync();
        });

        // Act
        var batch = await WithLedgerAsync(async (db, ledger) =>
        {
            var @case = await db.Cases.Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Id == caseId);
            var result = await ledger.RequestDeletionAsync(@case, null, "en", companion, CancellationToken.None);
            await db.SaveChangesAsync();
            return result;
        });
        var ids = await portal.WithDbAsync(db => db.ContentItems.Where(c => c.CaseId == caseId && c.Status == ContentStatus.Requested && c.Platform!.Name == "ExampleTube").Select(c => c.Id).ToListAsync());
        var marked = await WithLedgerAsync(async (db, ledger) =>
        {
            var count = await ledger.MarkDeletedAsync(await db.Cases.SingleAsync(c => c.Id == caseId), ids, companion, CancellationToken.None);
            await db.SaveChangesAsync();
            return count;
        });

        // Assert
        batch.RequestedCount.ShouldBe(3);
        batch.WithoutPlatform.Count.ShouldBe(1);
        batch.Requests.Select(r => r.Platform.Name).ShouldBe(["ExampleSocial", "ExampleTube"], ignoreOrder: true);
        var tube = batch.Requests.Single(r => r.Platform.Name == "ExampleTube");
        tube.Text.ShouldContain("- https://video.example.com/r/1\n- https://video.example.com/r/2");
        batch.Requests.ShouldAllBe(r => !r.Text.Contains("Minji"));
        marked.ShouldBe(2);
        var statuses = await portal.WithDbAsync(db => db.ContentItems.Where(c => c.CaseId == caseId).OrderBy(c => c.Id).Select(c => c.Status).ToListAsync());
        statuses.ShouldBe([ContentStatus.Deleted, ContentStatus.Deleted, ContentStatus.Requested, ContentStatus.Found]);
    }

    [Fact]
    public async Task With_name_consent_the_request_names_the_victim()
    {
        var caseId = await portal.WithDbAsync(async db =>
        {
            var @case = await TestCases.OpenAsync(db, Now, nickname: "Minji", deletionConsent: true);
            @case.SetNameInDeletionRequests(true, Now);
            await db.SaveChangesAsync();
            return @case.Id;
        });

        var preview = await WithLedgerAsync(async (db, ledger) =>
        {
            var @case = await db.Cases.Include(c => c.Victim).Include(c => c.Consents).SingleAsync(c => c.Id == caseId);
            await ledger.AddLinksAsync(@case, [new NewLink("https://video.example.com/named/1", ContentKind.Video)], ContentFinder.Victim, null, CancellationToken.None);
            await db.SaveChangesAsync();
            return await ledger.PreviewRequestAsync(@case, null, "ko", CancellationToken.None);
        });

        preview.Single().Text.ShouldEndWith("피해 당사자: Minji");
    }

    [Fact]
    public async Task Platform_statistics_give_counts_percentiles_and_reappearance()
    {
        // Arrange: a platform of its own with five requests on five links.
        var t0 = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await portal.WithDbAsync(async db =>
        {
            var platform = new Platform("StatsTube", ["stats.example.com"], RequestChannel.WebForm, null, "{links}", "{links}");
            db.Platforms.Add(platform);
            await db.SaveChangesAsync();
            ContentItem Item(int n)
            {
                var url = $"https://stats.example.com/{n}";
                var item = new ContentItem(null, url, TestSecrets.Fingerprints.ContentUrl(url), platform.Id, ContentKind.Video, ContentFinder.Companion, false, t0);
                item.RequestDeletion(platform.Id, RequestChannel.WebForm, "ko", null, t0);
                db.ContentItems.Add(item);
                return item;
            }
            Item(1).ApplyRecheck(RecheckOutcome.Gone, null, t0.AddHours(10));
            Item(2).ApplyRecheck(RecheckOutcome.Gone, null, t0.AddHours(20));
            var third = Item(3);
            third.RecordOutcome(ContentStatus.Deleted, null, t0.AddHours(5));
            third.ApplyRecheck(RecheckOutcome.Gone, null, t0.AddHours(30));
            third.ApplyRecheck(RecheckOutcome.StillUp, true, t0.AddDays(5));
            Item(4).RecordOutcome(ContentStatus.Refused, null, t0.AddDays(1));
            Item(5).RecordOutcome(ContentStatus.NoResponse, null, t0.AddDays(14));
            return await db.SaveChangesAsync();
        });

        // Act
        var rows = await portal.WithDbAsync(db => new PlatformStatistics(db).ForPeriodAsync(t0.AddDays(-1), t0.AddDays(1), CancellationToken.None));

        // Assert
        var row = rows.Single(r => r.PlatformName == "StatsTube");
        (row.Requests, row.Deleted, row.Refused, row.NoResponse, row.Open, row.VerifiedGone).ShouldBe((5, 3, 1, 1, 0, 3));
        row.MedianTimeToVerifiedGone.ShouldBe(TimeSpan.FromHours(20));
        row.Percentile90TimeToVerifiedGone.ShouldBe(TimeSpan.FromHours(28));
        row.Removed.ShouldBe(3);
        row.ReappearedAfterRemoval.ShouldBe(1);
        row.ReappearanceRate!.Value.ShouldBe(1.0 / 3, 1e-9);
        rows.Single(r => r.PlatformName == "ExampleTube").Requests.ShouldBe(0);
    }

    [Fact]
    public async Task The_same_file_on_two_cases_flags_both_without_naming_the_other_and_ignores_non_hashes()
    {
        // Arrange
        var (a, b) = await portal.WithDbAsync(async db => (await TestCases.OpenAsync(db, Now), await TestCases.OpenAsync(db, Now)));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        // Act
        var resultA = await WithEvidenceAsync(a.Id, [new SubmittedHash { Sha256 = sha, Kind = ContentKind.Image, SizeBytes = 1234 }]);
        var resultB = await WithEvidenceAsync(b.Id,
        [
            new SubmittedHash { Sha256 = sha.ToUpperInvariant(), Kind = ContentKind.Image },
            new SubmittedHash { Sha256 = "data:image/png;base64,iVBORw0KGgo=" },
            new SubmittedHash { Sha256 = new string('g', 64) },
        ]);

        // Assert
        resultA.ShouldBe(new EvidenceHashesResult(1, 0, 0, 0));
        resultB.ShouldBe(new EvidenceHashesResult(1, 0, 2, 2));
        var flags = await portal.WithDbAsync(db => db.HashMatches.Where(m => m.Sha256 == sha).OrderBy(m => m.CaseId).ToListAsync());
        flags.Select(f => f.CaseId).ShouldBe([a.Id, b.Id]);
        flags.ShouldAllBe(f => f.Source == HashMatchSource.AnotherCase);
        var stored = await portal.WithDbAsync(db => db.EvidenceHashes.Where(e => e.CaseId == b.Id).Select(e => e.Sha256).ToListAsync());
        stored.ShouldBe([sha]);
    }

    private async Task<EvidenceHashesResult> WithEvidenceAsync(long caseId, List<SubmittedHash> hashes)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var result = await scope.ServiceProvider.GetRequiredService<EvidenceHashes>().AddAsync(caseId, hashes, HashSupplier.Victim, CancellationToken.None);
        await db.SaveChangesAsync();
        return result;
    }
}
