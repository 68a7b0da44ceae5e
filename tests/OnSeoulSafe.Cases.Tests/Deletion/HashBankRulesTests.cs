using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Tests.Domain;

namespace OnSeoulSafe.Cases.Tests.Deletion;

/// <summary>A bank entry holds 32 bytes of hash and only what its kind needs; posted hashes are accepted only in their own shapes.</summary>
public sealed class HashBankRulesTests
{
    private static readonly string Sha = new('a', 64);
    private const string Pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

    [Fact]
    public void A_bank_entry_refuses_a_hash_that_is_not_32_bytes_or_details_its_kind_does_not_have()
    {
        Should.Throw<DomainRuleException>(() => new HashBankEntry(1, HashKind.PdqImage, new byte[31], 90, null, null, HashSupplier.Victim, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => new HashBankEntry(1, HashKind.PdqImage, new byte[32], 101, null, null, HashSupplier.Victim, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => new HashBankEntry(1, HashKind.PdqImage, new byte[32], null, null, null, HashSupplier.Victim, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => new HashBankEntry(1, HashKind.Sha256, new byte[32], 50, null, null, HashSupplier.Victim, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => new HashBankEntry(1, HashKind.PdqVideoFrame, new byte[32], 50, null, 3, HashSupplier.Victim, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => new HashBankEntry(1, HashKind.PdqImage, new byte[32], 50, Guid.NewGuid(), 0, HashSupplier.Victim, CaseBuilder.Now));
        var frame = new HashBankEntry(1, HashKind.PdqVideoFrame, new byte[32], 50, Guid.NewGuid(), 3, HashSupplier.Companion, CaseBuilder.Now);
        frame.FrameSecond.ShouldBe(3);
        Should.Throw<DomainRuleException>(() => frame.AssignToCase(2));
    }

    [Fact]
    public void A_submitted_file_is_well_formed_only_with_hashes_of_their_own_shape()
    {
        new SubmittedHash { Sha256 = Sha, Kind = ContentKind.Image, Pdq = Pdq, PdqQuality = 0 }.IsWellFormed().ShouldBeTrue();
        new SubmittedHash { Sha256 = Sha, Kind = ContentKind.Video, Frames = VideoFrameHashes.Format([(new byte[32], 100)]) }.IsWellFormed().ShouldBeTrue();
        new SubmittedHash { Sha256 = Sha, Pdq = Pdq }.IsWellFormed().ShouldBeFalse();
        new SubmittedHash { Sha256 = Sha, PdqQuality = 80 }.IsWellFormed().ShouldBeFalse();
        new SubmittedHash { Sha256 = Sha, Pdq = Pdq + "0", PdqQuality = 80 }.IsWellFormed().ShouldBeFalse();
        new SubmittedHash { Sha256 = Sha, Pdq = Pdq, PdqQuality = -1 }.IsWellFormed().ShouldBeFalse();
        new SubmittedHash { Sha256 = Sha, Pdq = Pdq, PdqQuality = 80, Frames = VideoFrameHashes.Format([(new byte[32], 1)]) }.IsWellFormed().ShouldBeFalse();
        new SubmittedHash { Pdq = Pdq, PdqQuality = 80 }.IsWellFormed().ShouldBeFalse();
    }

    [Fact]
    public void Video_frames_round_trip_and_are_bounded_to_an_hour()
    {
        var frames = Enumerable.Range(0, 3).Select(i => (Enumerable.Repeat((byte)i, 32).ToArray(), 40 + i)).ToList();

        var parsed = VideoFrameHashes.Parse(VideoFrameHashes.Format(frames))!;

        parsed.Select(f => f.Quality).ShouldBe([40, 41, 42]);
        parsed[2].Hash.ShouldBe(Enumerable.Repeat((byte)2, 32).ToArray());
        VideoFrameHashes.Format(frames).Length.ShouldBe(3 * 44);
        VideoFrameHashes.Parse(VideoFrameHashes.Format(Enumerable.Repeat((new byte[32], 50), VideoFrameHashes.MaxFrames))).ShouldNotBeNull();
        VideoFrameHashes.Parse(VideoFrameHashes.Format(Enumerable.Repeat((new byte[32], 50), VideoFrameHashes.MaxFrames + 1))).ShouldBeNull();
        VideoFrameHashes.Parse("").ShouldBeNull();
        VideoFrameHashes.Parse(new string('=', 44)).ShouldBeNull();
    }

    [Fact]
    public void A_form_keeps_at_most_an_hour_of_video_in_all()
    {
        var hour = VideoFrameHashes.Format(Enumerable.Repeat((new byte[32], 50), VideoFrameHashes.MaxFrames));
        var second = VideoFrameHashes.Format([(new byte[32], 50)]);
        List<SubmittedHash> hashes = [new() { Sha256 = Sha, Frames = hour }, new() { Sha256 = new string('b', 64), Frames = second }, new() { Sha256 = new string('c', 64) }];

        EvidenceHashes.AreAcceptable(hashes).ShouldBeFalse();
        EvidenceHashes.Acceptable(hashes).Select(h => h.Sha256![0]).ShouldBe(['a', 'c']);
    }

    [Fact]
    public void Every_hash_of_a_file_becomes_a_bank_hash_and_a_videos_frames_share_one_group()
    {
        var video = new SubmittedHash { Sha256 = Sha, Kind = ContentKind.Video, Frames = VideoFrameHashes.Format([(new byte[32], 60), (new byte[32], 70)]) };

        var hashes = HashBank.Hashes(video).ToList();

        hashes.Select(h => h.Kind).ShouldBe([HashKind.Sha256, HashKind.PdqVideoFrame, HashKind.PdqVideoFrame]);
        hashes.Skip(1).Select(h => h.FrameSecond).ShouldBe([0, 1]);
        hashes.Skip(1).Select(h => h.VideoGroup).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
        hashes[0].Hash.ShouldBe(Convert.FromHexString(Sha));
    }
}
