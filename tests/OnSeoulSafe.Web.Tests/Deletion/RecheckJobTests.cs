using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>The re-check job against a web server on 127.0.0.1: nothing here leaves loopback.</summary>
public sealed class RecheckJobTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private TestLinkServer _server = null!;
    private PortalDbContext _db = null!;
    private int _platformId;

    public async Task InitializeAsync()
    {
        _server = await TestLinkServer.StartAsync();
        _db = PortalDatabaseTemplate.NewContext(await PortalDatabaseTemplate.CreateDatabaseAsync("recheck"), TestSecrets.Cipher);
        var platform = new Platform("LoopTube", ["127.0.0.1"], RequestChannel.WebForm, null, "{links}", "{links}", TestLinkServer.RemovedMarker);
        _db.Platforms.Add(platform);
        await _db.SaveChangesAsync();
        _platformId = platform.Id;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>Generous timeouts for answers that come (a busy test machine must not fail them); short ones for servers that never answer.</summary>
    private static RecheckOptions Options(bool allowPrivate = true, int timeoutMilliseconds = 10_000) => new()
    {
        Enabled = true,
        AllowPrivateAddresses = allowPrivate,
        ConnectTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
        TotalTimeout = TimeSpan.FromMilliseconds(timeoutMilliseconds),
        MaxBodyBytes = 64 * 1024,
        MaxRedirects = 3,
        BatchSize = 20,
    };

    private RecheckRunner Runner(LinkProbe probe, RecheckOptions options) =>
        new(_db, probe, new EvidenceHashes(_db, _clock), new ContentLedger(_db, TestSecrets.Fingerprints, _clock), new PerceptualMatches(_db, new HashBankIndex()), _clock,
            Microsoft.Extensions.Options.Options.Create(options), NullLogger<RecheckRunner>.Instance);

    private async Task<ContentItem> RequestedItemAsync(string path, long? caseId = null, ContentStatus then = ContentStatus.Requested, string? sha256 = null)
    {
        var url = _server.Url(path);
        var item = new ContentItem(caseId, url, TestSecrets.Fingerprints.ContentUrl(url), _platformId, ContentKind.Video, ContentFinder.Companion, false, Start);
        item.SetHashes(sha256, null);
        item.RequestDeletion(_platformId, RequestChannel.WebForm, "ko", null, Start.AddHours(1));
        if (then != ContentStatus.Requested) item.RecordOutcome(then, null, Start.AddDays(1));
        _db.ContentItems.Add(item);
        await _db.SaveChangesAsync();
        return item;
    }

    private async Task<ContentItem> ReloadAsync(ContentItem item)
    {
        _db.ChangeTracker.Clear();
        return await _db.ContentItems.Include(c => c.History).Include(c => c.Requests).SingleAsync(c => c.Id == item.Id);
    }

    [Theory]
    [InlineData("/gone404")]
    [InlineData("/gone410")]
    [InlineData("/removed")]
    public async Task A_link_that_is_gone_becomes_verified_gone_and_closes_the_request(string path)
    {
        // Arrange
        var item = await RequestedItemAsync(path);
        using var probe = new LinkProbe(Options());

        // Act
        var summary = await Runner(probe, Options()).RunOnceAsync(CancellationToken.None);

        // Assert
        summary.Gone.ShouldBe(1);
        var after = await ReloadAsync(item);
        after.Status.ShouldBe(ContentStatus.VerifiedGone);
        after.LastCheckOutcome.ShouldBe(RecheckOutcome.Gone);
        after.LastCheckedAt.ShouldBe(Start);
        after.Requests.Single().Outcome.ShouldBe(ContentStatus.Deleted);
    }

    [Fact]
    public async Task A_requested_link_still_up_stays_requested()
    {
        var item = await RequestedItemAsync("/up/a");
        using var probe = new LinkProbe(Options());

        var summary = await Runner(probe, Options()).RunOnceAsync(CancellationToken.None);

        summary.StillUp.ShouldBe(1);
        var after = await ReloadAsync(item);
        after.Status.ShouldBe(ContentStatus.Requested);
        after.LastCheckOutcome.ShouldBe(RecheckOutcome.StillUp);
        after.LastCheckHashMatched.ShouldBeNull();
    }

    [Fact]
    public async Task A_deleted_link_served_again_reappears()
    {
        var item = await RequestedItemAsync("/up/b", then: ContentStatus.Deleted);
        using var probe = new LinkProbe(Options());

        var summary = await Runner(probe, Options()).RunOnceAsync(CancellationToken.None);

        summary.Reappeared.ShouldBe(1);
        var after = await ReloadAsync(item);
        after.Status.ShouldBe(ContentStatus.Reappeared);
        after.History.OrderBy(h => h.Id).Last().Note.ShouldBe("recheck");
    }

    [Fact]
    public async Task A_served_file_with_the_known_hash_is_recorded_as_a_hash_match_and_flags_the_other_case()
    {
        // Arrange: the file is on case A's ledger (known hash); case B's victim offered the same file as evidence.
        var caseA = await TestCases.OpenAsync(_db, Start);
        var caseB = await TestCases.OpenAsync(_db, Start);
        _db.EvidenceHashes.Add(new EvidenceHash(caseB.Id, TestLinkServer.KnownFileSha256, ContentKind.Video, TestLinkServer.KnownFile.Length, Start));
        await _db.SaveChangesAsync();
        var item = await RequestedItemAsync("/file/x", caseA.Id, ContentStatus.Deleted, TestLinkServer.KnownFileSha256);
        using var probe = new LinkProbe(Options());

        // Act
        var summary = await Runner(probe, Options()).RunOnceAsync(CancellationToken.None);

        // Assert
        summary.HashMatches.ShouldBe(1);
        var after = await ReloadAsync(item);
        after.Status.ShouldBe(ContentStatus.Reappeared);
        after.LastCheckHashMatched.ShouldBe(true);
        after.History.OrderBy(h => h.Id).Last().Note.ShouldBe("recheck:hash-match");
        var flags = await _db.HashMatches.OrderBy(m => m.CaseId).ToListAsync();
        flags.Select(f => (f.CaseId, f.Source)).ShouldBe([(caseA.Id, HashMatchSource.AnotherCase), (caseB.Id, HashMatchSource.RecheckJob)]);
        // The link serves case B's file too: it joins B's ledger, found by the re-check, and B's access log says so.
        var foundOnB = await _db.ContentItems.SingleAsync(c => c.CaseId == caseB.Id);
        (foundOnB.Url, foundOnB.FoundBy, foundOnB.Status, foundOnB.Sha256).ShouldBe((item.Url, ContentFinder.RecheckJob, ContentStatus.Found, TestLinkServer.KnownFileSha256));
        (await _db.AccessLog.CountAsync(e => e.CaseId == caseB.Id && e.ActorRole == RecheckRunner.ActorRole && e.Action == AccessAction.Edit)).ShouldBe(1);
    }

    [Fact]
    public async Task A_different_file_is_not_a_hash_match()
    {
        var item = await RequestedItemAsync("/up/c", then: ContentStatus.Deleted, sha256: TestLinkServer.KnownFileSha256);
        using var probe = new LinkProbe(Options());

        await Runner(probe, Options()).RunOnceAsync(CancellationToken.None);

        (await ReloadAsync(item)).LastCheckHashMatched.ShouldBe(false);
    }

    [Fact]
    public async Task Loopback_is_refused_by_default_and_the_server_sees_no_request()
    {
        // Arrange: the default options (AllowPrivateAddresses is false).
        var item = await RequestedItemAsync("/up/private");
        var options = Options(allowPrivate: false);
        new RecheckOptions().AllowPrivateAddresses.ShouldBeFalse();
        using var probe = new LinkProbe(options);

        // Act
        var summary = await Runner(probe, options).RunOnceAsync(CancellationToken.None);
        var byName = await probe.ProbeAsync(_server.Url("/up/private").Replace("127.0.0.1", "localhost", StringComparison.Ordinal), null, CancellationToken.None);

        // Assert
        summary.Refused.ShouldBe(1);
        (await ReloadAsync(item)).LastCheckOutcome.ShouldBe(RecheckOutcome.Refused);
        byName.Outcome.ShouldBe(RecheckOutcome.Refused);
        byName.Reason.ShouldBe("private-address");
        _server.Hits("/up/private").ShouldBe(0);
    }

    [Fact]
    public async Task Links_checked_recently_are_not_due_until_the_interval_has_passed()
    {
        var item = await RequestedItemAsync("/up/d");
        using var probe = new LinkProbe(Options());
        var runner = Runner(probe, Options());
        await runner.RunOnceAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromHours(1));
        (await runner.RunOnceAsync(CancellationToken.None)).Checked.ShouldBe(0);
        _clock.Advance(TimeSpan.FromHours(24));
        (await runner.RunOnceAsync(CancellationToken.None)).Checked.ShouldBe(1);
        _server.Hits("/up/d").ShouldBe(2);
        (await ReloadAsync(item)).LastCheckedAt.ShouldBe(Start.AddHours(25));
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_three_hops()
    {
        using var probe = new LinkProbe(Options());

        var result = await probe.ProbeAsync(_server.Url("/loop"), null, CancellationToken.None);

        result.Outcome.ShouldBe(RecheckOutcome.Unreachable);
        result.Reason.ShouldBe("too-many-redirects");
        result.Redirects.ShouldBe(3);
        _server.Hits("/loop").ShouldBe(4);
    }

    [Fact]
    public async Task Three_redirects_are_followed_to_the_answer()
    {
        using var probe = new LinkProbe(Options());

        var result = await probe.ProbeAsync(_server.Url("/hop/3"), null, CancellationToken.None);

        result.Outcome.ShouldBe(RecheckOutcome.Gone);
        result.Redirects.ShouldBe(3);
    }

    [Theory]
    [InlineData("/never-finishes")]
    [InlineData("/no-headers")]
    public async Task A_server_that_never_finishes_is_cut_off_by_the_total_timeout(string path)
    {
        using var probe = new LinkProbe(Options(timeoutMilliseconds: 500));
        var watch = Stopwatch.StartNew();

        var result = await probe.ProbeAsync(_server.Url(path), null, CancellationToken.None);

        result.Outcome.ShouldBe(RecheckOutcome.Unreachable);
        result.Reason.ShouldBe("timeout");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task An_oversize_body_is_cut_at_the_cap_and_not_hashed()
    {
        using var probe = new LinkProbe(Options());

        var result = await probe.ProbeAsync(_server.Url("/big"), null, CancellationToken.None);

        result.Outcome.ShouldBe(RecheckOutcome.StillUp);
        result.Truncated.ShouldBeTrue();
        result.BytesRead.ShouldBeLessThanOrEqualTo(64 * 1024);
        result.BodySha256.ShouldBeNull();
    }

    [Fact]
    public async Task No_cookie_and_no_referer_are_sent_and_the_user_agent_is_neutral()
    {
        using var probe = new LinkProbe(Options());

        var result = await probe.ProbeAsync(_server.Url("/cookie"), null, CancellationToken.None);

        result.Outcome.ShouldBe(RecheckOutcome.StillUp);
        _server.EchoedHeaders.TryDequeue(out var headers).ShouldBeTrue();
        headers!.ContainsKey("Cookie").ShouldBeFalse();
        headers.ContainsKey("Referer").ShouldBeFalse();
        headers.UserAgent.ToString().ShouldBe(new RecheckOptions().UserAgent);
        headers.UserAgent.ToString().ShouldNotContain("Seoul", Shouldly.Case.Insensitive);
    }
}
