using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

/// <summary>
/// Whoever owns the tables rewrites an entry and every seal after it, as the outside probe did with the plain SHA-256
/// chain: without the seal key the recomputed seals do not verify, and the checkpoint file outside the database shows
/// the chain no longer reaches the head it published.
/// </summary>
public static class ChainRewrite
{
    /// <summary>As the owner: changes an entry, then recomputes every seal (keyed with a guessed key, or plain SHA-256).</summary>
    public static async Task RewriteChainAsync(PortalFactory portal, long changedEntryId, bool markKeyed)
    {
        await portal.AsOwnerAsync($"""UPDATE "AccessLog" SET "What" = '/Cases/Index' WHERE "Id" = {changedEntryId}""");
        var chain = await portal.WithDbAsync(async db =>
            await (from s in db.AccessLogSeals join e in db.AccessLog on s.EntryId equals e.Id orderby s.SealNumber select new { s.SealNumber, Entry = e }).ToListAsync());
        var previous = AccessLogChain.Genesis;
        var guessedKey = new SealKey(new byte[32]);
        foreach (var link in chain)
        {
            var hash = markKeyed ? AccessLogChain.KeyedLink(guessedKey, previous, link.SealNumber, link.Entry) : AccessLogChain.Link(previous, link.SealNumber, link.Entry);
            await portal.AsOwnerAsync(string.Create(CultureInfo.InvariantCulture,
                $"""UPDATE "AccessLogSeals" SET "PreviousHash" = '\x{Convert.ToHexStringLower(previous)}', "Hash" = '\x{Convert.ToHexStringLower(hash)}', "Keyed" = {(markKeyed ? "TRUE" : "FALSE")} WHERE "SealNumber" = {link.SealNumber}"""));
            previous = hash;
        }
    }
}

public sealed class KeyedSealTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task New_seals_are_keyed_and_each_pass_publishes_a_signed_head_outside_the_database()
    {
        // Arrange
        await portal.WriteEntriesAsync(3);

        // Act
        await portal.SealAsync();
        var report = await portal.VerifyAsync();

        // Assert
        report.IsUnbroken.ShouldBeTrue();
        (await portal.WithDbAsync(db => db.AccessLogSeals.AllAsync(s => s.Keyed))).ShouldBeTrue();
        var last = File.ReadAllLines(portal.CheckpointFile).Last().Split(' ');
        last[0].ShouldBe(report.UnbrokenThrough.ToString(CultureInfo.InvariantCulture));
        last[2].ShouldBe(Convert.ToHexStringLower(report.LastHash!));
    }

}

/// <summary>An entry rewritten and every seal recomputed with a key of the owner's choosing.</summary>
public sealed class RecomputedChainTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_chain_recomputed_without_the_key_does_not_verify()
    {
        // Arrange
        var ids = await portal.WriteEntriesAsync(4);
        await portal.SealAsync();

        // Act: rewrite an entry, then every seal with a key of the owner's choosing.
        await ChainRewrite.RewriteChainAsync(portal, ids[1], markKeyed: true);
        var report = await portal.VerifyAsync();

        // Assert
        report.IsUnbroken.ShouldBeFalse();
        report.Break!.Kind.ShouldBe(ChainBreakKind.EntryChanged);
        report.Break.SealNumber.ShouldBe(1);
    }
}

/// <summary>A chain rewritten as plain SHA-256 seals throughout verifies link by link, but not against the published head.</summary>
public sealed class DowngradedChainTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_chain_rewritten_as_plain_hashes_no_longer_reaches_its_published_head()
    {
        // Arrange
        var ids = await portal.WriteEntriesAsync(4);
        await portal.SealAsync();
        await ChainRewrite.RewriteChainAsync(portal, ids[2], markKeyed: false);
        var last = await portal.WithDbAsync(db => db.AccessLogSeals.MaxAsync(s => s.SealNumber));

        // Act
        var report = await portal.VerifyAsync();

        // Assert
        report.Break!.Kind.ShouldBe(ChainBreakKind.CheckpointMismatch);
        report.Break.SealNumber.ShouldBe(last);
    }
}

/// <summary>A line added to the checkpoint file by someone without the key.</summary>
public sealed class ForgedCheckpointTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_forged_line_in_the_checkpoint_file_is_reported()
    {
        // Arrange
        await portal.WriteEntriesAsync(1);
        await portal.SealAsync();

        // Act
        await File.AppendAllTextAsync(portal.CheckpointFile, $"999 2026-12-03T00:00:00.0000000Z {new string('0', 64)} {new string('0', 64)}\n");
        var report = await portal.VerifyAsync();

        // Assert
        report.Break!.Kind.ShouldBe(ChainBreakKind.CheckpointInvalid);
        var lines = File.ReadAllLines(portal.CheckpointFile);
        report.Break.SealNumber.ShouldBe(lines.Length);
    }
}
