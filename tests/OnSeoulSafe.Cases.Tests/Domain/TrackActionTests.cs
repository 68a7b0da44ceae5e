using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class TrackActionTests
{
    [Fact]
    public void ChangeTrackStatus_Start_SetsResponsibleAndRecordsOnTimeline()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();

        @case.ChangeTrackStatus(ServiceTrackKind.Legal, TrackStatus.Active, companion.Id, CaseBuilder.Now.AddHours(2));

        var track = @case.Track(ServiceTrackKind.Legal);
        track.Status.ShouldBe(TrackStatus.Active);
        track.ResponsibleStaffId.ShouldBe(companion.Id);
        @case.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.TrackStatusChanged && e.Track == ServiceTrackKind.Legal && e.Detail == "Active");
    }

    [Fact]
    public void ChangeTrackStatus_IllegalMove_IsRefusedAndNothingRecorded()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        var before = @case.Timeline.Count;

        var refusal = Should.Throw<DomainRuleException>(() =>
            @case.ChangeTrackStatus(ServiceTrackKind.Medical, TrackStatus.Completed, companion.Id, CaseBuilder.Now));

        refusal.Rule.ShouldBe("track.transition");
        @case.Timeline.Count.ShouldBe(before);
    }

    [Fact]
    public void HandOverTrack_ToInactiveOrSameStaff_IsRefused()
    {
        var companion = CaseBuilder.Companion();
        var other = CaseBuilder.Companion("Minho");
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        @case.ChangeTrackStatus(ServiceTrackKind.Psychological, TrackStatus.Active, companion.Id, CaseBuilder.Now);

        Should.Throw<DomainRuleException>(() => @case.HandOverTrack(ServiceTrackKind.Psychological, companion, companion.Id, CaseBuilder.Now))
            .Rule.ShouldBe("track.handover.same");
        other.IsActive = false;
        Should.Throw<DomainRuleException>(() => @case.HandOverTrack(ServiceTrackKind.Psychological, other, companion.Id, CaseBuilder.Now))
            .Rule.ShouldBe("track.handover.inactive");
        other.IsActive = true;

        @case.HandOverTrack(ServiceTrackKind.Psychological, other, companion.Id, CaseBuilder.Now);

        @case.Track(ServiceTrackKind.Psychological).ResponsibleStaffId.ShouldBe(other.Id);
    }

    [Fact]
    public void Refer_WithoutConsent_IsRefused()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        var partner = new PartnerInstitution("Counselling", ServiceTrackKind.Psychological, null);

        Should.Throw<DomainRuleException>(() => @case.Refer(ServiceTrackKind.Psychological, partner, companion.Id, null, CaseBuilder.Now))
            .Rule.ShouldBe("referral.no-consent");
        @case.Track(ServiceTrackKind.Psychological).Referrals.ShouldBeEmpty();
    }
}
