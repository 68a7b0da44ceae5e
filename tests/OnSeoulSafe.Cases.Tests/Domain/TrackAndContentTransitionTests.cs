using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class TrackAndContentTransitionTests
{
    [Theory]
    [InlineData(TrackStatus.NotStarted, TrackStatus.Completed)]
    [InlineData(TrackStatus.NotStarted, TrackStatus.OnHold)]
    [InlineData(TrackStatus.Completed, TrackStatus.OnHold)]
    [InlineData(TrackStatus.Declined, TrackStatus.Completed)]
    public void Track_IllegalTransition_IsRefused(TrackStatus from, TrackStatus to)
    {
        ServiceTrack.CanMove(from, to).ShouldBeFalse();
    }

    [Fact]
    public void Track_StartThenComplete_RecordsResponsibleAndTimes()
    {
        var @case = new CaseBuilder().Build();
        var track = @case.Track(ServiceTrackKind.Medical);
        var staff = Guid.NewGuid();

        track.Start(staff, CaseBuilder.Now);
        track.MoveTo(TrackStatus.Completed, CaseBuilder.Now.AddDays(3));

        track.ResponsibleStaffId.ShouldBe(staff);
        track.CompletedAt.ShouldBe(CaseBuilder.Now.AddDays(3));
        Should.Throw<DomainRuleException>(() => track.MoveTo(TrackStatus.OnHold, CaseBuilder.Now));
    }

    [Theory]
    [InlineData(ContentStatus.Found, ContentStatus.Deleted)]
    [InlineData(ContentStatus.Found, ContentStatus.Reappeared)]
    [InlineData(ContentStatus.Deleted, ContentStatus.Requested)]
    [InlineData(ContentStatus.VerifiedGone, ContentStatus.Requested)]
    [InlineData(ContentStatus.Reappeared, ContentStatus.Deleted)]
    public void Content_IllegalTransition_IsRefused(ContentStatus from, ContentStatus to)
    {
        ContentItem.CanMove(from, to).ShouldBeFalse();
    }

    [Fact]
    public void Content_FullLifecycle_KeepsDatedHistory()
    {
        var item = new ContentItem(1, "https://video.example.com/x", new byte[32], 1, ContentKind.Video, ContentFinder.Victim, false, CaseBuilder.Now);

        item.RequestDeletion(1, RequestChannel.WebForm, "ko", Guid.NewGuid(), CaseBuilder.Now.AddHours(1));
        item.RecordOutcome(ContentStatus.Deleted, null, CaseBuilder.Now.AddDays(2));
        item.ApplyRecheck(RecheckOutcome.Gone, null, CaseBuilder.Now.AddDays(3)).ShouldBeTrue();
        item.ApplyRecheck(RecheckOutcome.StillUp, true, CaseBuilder.Now.AddDays(10)).ShouldBeTrue();

        item.Status.ShouldBe(ContentStatus.Reappeared);
        item.History.Select(h => h.To).ShouldBe([ContentStatus.Found, ContentStatus.Requested, ContentStatus.Deleted, ContentStatus.VerifiedGone, ContentStatus.Reappeared]);
        item.Requests.Single().ResolvedAt.ShouldBe(CaseBuilder.Now.AddDays(2));
        Should.Throw<DomainRuleException>(() => item.RecordOutcome(ContentStatus.Deleted, null, CaseBuilder.Now));
    }

    [Fact]
    public void Content_VerifiedGoneAndReappearance_AreDatedOnTheRequestTheyFollow()
    {
        var item = new ContentItem(1, "https://video.example.com/y", new byte[32], 1, ContentKind.Video, ContentFinder.Victim, false, CaseBuilder.Now);

        item.RequestDeletion(1, RequestChannel.WebForm, "ko", null, CaseBuilder.Now.AddHours(1));
        item.ApplyRecheck(RecheckOutcome.Gone, null, CaseBuilder.Now.AddHours(30));
        item.ApplyRecheck(RecheckOutcome.Gone, null, CaseBuilder.Now.AddHours(60));
        item.ApplyRecheck(RecheckOutcome.StillUp, null, CaseBuilder.Now.AddDays(5));
        item.RequestDeletion(1, RequestChannel.WebForm, "ko", null, CaseBuilder.Now.AddDays(6));
        item.RecordOutcome(ContentStatus.Refused, null, CaseBuilder.Now.AddDays(7));
        item.ApplyRecheck(RecheckOutcome.Gone, null, CaseBuilder.Now.AddDays(9));

        var (first, second) = (item.Requests[0], item.Requests[1]);
        (first.Outcome, first.VerifiedGoneAt, first.ReappearedAt, first.Removed).ShouldBe((ContentStatus.Deleted, CaseBuilder.Now.AddHours(30), CaseBuilder.Now.AddDays(5), true));
        (second.Outcome, second.VerifiedGoneAt, second.ReappearedAt, second.Removed).ShouldBe((ContentStatus.Refused, CaseBuilder.Now.AddDays(9), null, true));
    }

    [Fact]
    public void Erasure_NeedsTwoDifferentManagers()
    {
        var request = new ErasureRequest(1, CaseBuilder.Now);
        var first = Guid.NewGuid();

        request.Approve(first, CaseBuilder.Now);
        Should.Throw<DomainRuleException>(() => request.Approve(first, CaseBuilder.Now)).Rule.ShouldBe("erasure.same-approver");
        request.Approve(Guid.NewGuid(), CaseBuilder.Now);

        request.Status.ShouldBe(ErasureStatus.Completed);
    }

    [Fact]
    public void SafeHours_OverMidnight_AreRespected()
    {
        var contact = new SafeContact(ContactChannel.Phone, "x", null, new TimeOnly(22, 0), new TimeOnly(7, 0), false, null);

        contact.IsWithinSafeHours(new TimeOnly(23, 30)).ShouldBeTrue();
        contact.IsWithinSafeHours(new TimeOnly(6, 0)).ShouldBeTrue();
        contact.IsWithinSafeHours(new TimeOnly(12, 0)).ShouldBeFalse();
        contact.WarningsFor(ContactChannel.Email, new TimeOnly(12, 0)).ShouldBe(["contact.channel-not-chosen", "contact.outside-safe-hours"]);
    }
}
