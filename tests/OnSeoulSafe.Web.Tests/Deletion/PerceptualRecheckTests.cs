using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Retention;
using OnSeoulSafe.Hashing;
using OnSeoulSafe.Web.Tests.Support;
using SkiaSharp;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>
/// Perceptual matching in the re-check job: a changed copy of a picture in another case's hash bank, served on
/// 127.0.0.1, lands on that case's ledger with the kind and distance; the index is loaded and kept in step by LISTEN/NOTIFY.
/// </summary>
public sealed class PerceptualRecheckTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ManualClock _clock = new(Start);
    private readonly List<HashBankIndexSync> _syncs = [];
    private TestLinkServer _server = null!;
    private PortalDbContext _db = null!;
    private string _connectionString = "";
    private HashBankIndex _index = null!;
    private int _platformId;

    public async Task InitializeAsync()
    {
        _server = await TestLinkServer.StartAsync();
        // The index reads as the portal's own login role, as it does in production.
        var owner = await PortalDatabaseTemplate.CreateDatabaseAsync("perceptual");
        _connectionString = PortalDatabaseTemplate.PortalConnectionString(owner);
        _db = PortalDatabaseTemplate.NewContext(owner, TestSecrets.Cipher);
        var platform = new Platform("LoopPics", ["127.0.0.1"], RequestChannel.WebForm, null, "{links}", "{links}", TestLinkServer.RemovedMarker);
        _db.Platforms.Add(platform);
        await _db.SaveChangesAsync();
        _platformId = platform.Id;
        _index = await StartIndexAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var sync in _syncs)
        {
            await sync.StopAsync(CancellationToken.None);
            sync.Dispose();
        }
        await _db.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<HashBankIndex> StartIndexAsync()
    {
        var index = new HashBankIndex();
        var sync = new HashBankIndexSync(index, new HashBankIndexSettings(_connectionString), TimeProvider.System, NullLogger<HashBankIndexSync>.Instance);
        _syncs.Add(sync);
        await sync.StartAsync(CancellationToken.None);
        await WaitForAsync(index, () => index.IsLoaded);
        return index;
    }

    /// <summary>Waits for a condition the sync loop makes true (checked after each change it applies), failing after <see cref="Patience"/>.</summary>
    internal static async Task WaitForAsync(HashBankIndex index, Func<bool> condition)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition()) reached.TrySetResult();
        }
        index.Changed += Check;
        try
        {
            Check();
            await reached.Task.WaitAsync(Patience);
        }
        finally
        {
            index.Changed -= Check;
        }
    }

    internal static bool Holds(HashBankIndex index, PdqHash hash) => index.Query([hash], 0).Count > 0;

    private static string Vector(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OnSeoulSafe.sln")))
            {
                return Path.Combine(dir.FullName, "..", "shared", "pdq-vectors", "images", name);
            }
        }
        throw new InvalidOperationException("The repository root (OnSeoulSafe.sln) was not found above the test's folder.");
    }

    /// <summary>A copy as sites make them: resized, optionally mirrored, re-encoded as a lower-quality JPEG.</summary>
    private static byte[] Copy(string name, double scale, bool mirror = false, int quality = 55)
    {
        using var original = SKBitmap.Decode(Vector(name));
        var info = new SKImageInfo((int)(original.Width * scale), (int)(original.Height * scale), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        if (mirror)
        {
            surface.Canvas.Translate(info.Width, 0);
            surface.Canvas.Scale(-1, 1);
        }
        using var image = SKImage.FromBitmap(original);
        surface.Canvas.DrawImage(image, new SKRect(0, 0, info.Width, info.Height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static PdqImageHash Hash(string name) => PdqImage.HashFile(Vector(name));

    private async Task<HashBankEntry> BankAsync(long caseId, PdqHash hash, int quality)
    {
        var entry = new HashBankEntry(caseId, HashKind.PdqImage, hash.ToBytes(), quality, null, null, HashSupplier.Victim, Start);
        _db.HashBankEntries.Add(entry);
        await _db.SaveChangesAsync();
        return entry;
    }

    /// <summary>Cases A and B; B's victim gave the bridge picture's PDQ, and the index holds it.</summary>
    private async Task<(Case A, Case B, PdqImageHash Original, HashBankEntry Entry)> BankedPictureAsync()
    {
        var caseA = await TestCases.OpenAsync(_db, Start);
        var caseB = await TestCases.OpenAsync(_db, Start);
        var original = Hash("dih__bridge-1-original.jpg");
        var entry = await BankAsync(caseB.Id, original.Hash, original.Quality);
        await WaitForAsync(_index, () => Holds(_index, original.Hash));
        return (caseA, caseB, original, entry);
    }

    private async Task<ContentItem> ServedOnCaseAsync(long caseId, string name, byte[] bytes)
    {
        _server.Served[name] = bytes;
        var url = _server.Url("/served/" + name);
        var item = new ContentItem(caseId, url, TestSecrets.Fingerprints.ContentUrl(url), _platformId, ContentKind.Image, ContentFinder.Companion, false, Start);
        item.RequestDeletion(_platformId, RequestChannel.WebForm, "ko", null, Start.AddHours(1));
        _db.ContentItems.Add(item);
        await _db.SaveChangesAsync();
        return item;
    }

    private async Task<RecheckSummary> RecheckAsync()
    {
        var options = new RecheckOptions
        {
            Enabled = true,
            AllowPrivateAddresses = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            TotalTimeout = TimeSpan.FromSeconds(10),
            MaxBodyBytes = 1024 * 1024,
            BatchSize = 20,
        };
        using var probe = new LinkProbe(options);
        var runner = new RecheckRunner(_db, probe, new EvidenceHashes(_db, _clock), new ContentLedger(_db, TestSecrets.Fingerprints, _clock),
            new PerceptualMatches(_db, _index), _clock, Microsoft.Extensions.Options.Options.Create(options), NullLogger<RecheckRunner>.Instance);
        var summary = await runner.RunOnceAsync(CancellationToken.None);
        _db.ChangeTracker.Clear();
        return summary;
    }

    [Fact]
    public async Task A_resized_recompressed_copy_of_a_banked_picture_lands_on_that_cases_ledger_with_the_distance()
    {
        // Arrange: case B's victim gave the picture's PDQ; case A's link serves a smaller, recompressed copy.
        var (caseA, caseB, original, entry) = await BankedPictureAsync();
        var copy = Copy("dih__bridge-1-original.jpg", 0.4);
        var expected = PdqImage.Hash(copy).Hash.DistanceTo(original.Hash);
        expected.ShouldBeInRange(0, Pdq.MatchDistance);
        var item = await ServedOnCaseAsync(caseA.Id, "copy.jpg", copy);

        // Act
        await RecheckAsync();

        // Assert: B is flagged with the kind, its hash and the distance, and the link is on B's ledger, found by the re-check.
        var flag = await _db.HashMatches.SingleAsync();
        (flag.CaseId, flag.Source, flag.Kind, flag.Distance, flag.MatchedHash).ShouldBe(
            (caseB.Id, HashMatchSource.RecheckJob, HashKind.PdqImage, expected, Convert.ToHexStringLower(entry.Hash)));
        var onB = await _db.ContentItems.SingleAsync(c => c.CaseId == caseB.Id);
        (onB.Url, onB.FoundBy, onB.Status).ShouldBe((item.Url, ContentFinder.RecheckJob, ContentStatus.Found));
        (await _db.AccessLog.CountAsync(e => e.CaseId == caseB.Id && e.ActorRole == RecheckRunner.ActorRole && e.Action == AccessAction.Edit)).ShouldBe(1);
    }

    [Fact]
    public async Task A_mirrored_copy_matches_through_the_dihedral_hashes()
    {
        var (caseA, caseB, original, _) = await BankedPictureAsync();
        var mirrored = Copy("dih__bridge-1-original.jpg", 0.5, mirror: true);
        // Its own hash is far from the original's: only a flipped (dihedral) hash can match.
        PdqImage.Hash(mirrored).Hash.DistanceTo(original.Hash).ShouldBeGreaterThan(Pdq.MatchDistance);
        await ServedOnCaseAsync(caseA.Id, "mirrored.jpg", mirrored);

        await RecheckAsync();

        var flag = await _db.HashMatches.SingleAsync();
        (flag.CaseId, flag.Kind).ShouldBe((caseB.Id, HashKind.PdqImage));
        flag.Distance!.Value.ShouldBeLessThanOrEqualTo(Pdq.MatchDistance);
        (await _db.ContentItems.CountAsync(c => c.CaseId == caseB.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task An_unrelated_picture_matches_nothing()
    {
        var (caseA, caseB, _, _) = await BankedPictureAsync();
        await ServedOnCaseAsync(caseA.Id, "other.jpg", Copy("labelme-subset__q0003.jpg", 0.8));

        var summary = await RecheckAsync();

        summary.StillUp.ShouldBe(1);
        (await _db.HashMatches.CountAsync()).ShouldBe(0);
        (await _db.ContentItems.CountAsync(c => c.CaseId == caseB.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task A_low_quality_hash_never_acts_in_the_bank_or_as_the_query()
    {
        // Arrange: B holds the picture's PDQ at quality 49 (too unreliable to match on); C holds the hash of a nearly
        // flat picture (quality under 50) with a made-up high quality, and that flat picture is served.
        var caseA = await TestCases.OpenAsync(_db, Start);
        var caseB = await TestCases.OpenAsync(_db, Start);
        var caseC = await TestCases.OpenAsync(_db, Start);
        var original = Hash("dih__bridge-1-original.jpg");
        await BankAsync(caseB.Id, original.Hash, Pdq.MinQuality - 1);
        var flat = Flat();
        var flatHash = PdqImage.Hash(flat);
        flatHash.Quality.ShouldBeLessThan(Pdq.MinQuality);
        await BankAsync(caseC.Id, flatHash.Hash, 100);
        await WaitForAsync(_index, () => Holds(_index, flatHash.Hash));
        Holds(_index, original.Hash).ShouldBeFalse();
        await ServedOnCaseAsync(caseA.Id, "copy.jpg", Copy("dih__bridge-1-original.jpg", 0.4));
        await ServedOnCaseAsync(caseA.Id, "flat.png", flat);

        // Act
        var summary = await RecheckAsync();

        // Assert
        summary.StillUp.ShouldBe(2);
        (await _db.HashMatches.CountAsync()).ShouldBe(0);
        (await _db.ContentItems.CountAsync(c => c.CaseId != caseA.Id)).ShouldBe(0);
    }

    private static byte[] Flat()
    {
        using var bitmap = new SKBitmap(64, 64);
        bitmap.Erase(new SKColor(128, 128, 128));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public async Task An_erased_cases_hashes_leave_the_index_and_no_longer_match()
    {
        // Arrange: the picture is in B's bank and in the index.
        var (caseA, caseB, original, _) = await BankedPictureAsync();

        // Act: B is erased; the bank's DELETE notification takes the hash out of the index.
        await CaseErasure.EraseAsync(_db, caseB.Id, Start, CancellationToken.None);
        await _db.SaveChangesAsync();
        await WaitForAsync(_index, () => !Holds(_index, original.Hash));
        await ServedOnCaseAsync(caseA.Id, "copy.jpg", Copy("dih__bridge-1-original.jpg", 0.4));
        await RecheckAsync();

        // Assert
        (await _db.HashMatches.CountAsync()).ShouldBe(0);
        _index.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_second_portal_instances_index_sees_a_hash_added_after_both_loaded()
    {
        // Arrange: two instances, each with its own index on the same database.
        var second = await StartIndexAsync();
        var caseB = await TestCases.OpenAsync(_db, Start);
        var original = Hash("dih__bridge-1-original.jpg");
        Holds(second, original.Hash).ShouldBeFalse();

        // Act
        var entry = await BankAsync(caseB.Id, original.Hash, original.Quality);

        // Assert: both hear of it; the second holds it under the bank entry's id.
        await WaitForAsync(_index, () => Holds(_index, original.Hash));
        await WaitForAsync(second, () => Holds(second, original.Hash));
        second.Query([original.Hash], 0).Single().Id.ShouldBe(entry.Id);
        second.LastSeenId.ShouldBe(entry.Id);
    }
}
