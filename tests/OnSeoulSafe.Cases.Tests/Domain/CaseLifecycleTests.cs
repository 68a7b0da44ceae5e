using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class CaseLifecycleTests
{
    [Fact]
    public void Open_TriagesAtOnce_WithReferenceAndAllTracks()
    {
        var @case = new CaseBuilder().Build();

        @case.Reference.ShouldBe("SDS-2026-000123");
        @case.Status.ShouldBe(CaseStatus.Triaged);
        @case.Priority.ShouldBe(CasePriority.Normal);
        @case.Tracks.Select(t => t.Kind).ShouldBe(Enum.GetValues<ServiceTrackKind>(), ignoreOrder: true);
        @case.Timeline.Select(e => e.Kind).ShouldBe([TimelineEventKind.CaseOpened, TimelineEventKind.Triaged]);
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public void Open_AnyPositiveRiskAnswer_IsEmergency(bool selfHarm, bool threats, bool knowsAddress, bool minor)
    {
        var @case = new CaseBuilder().WithRisk(new RiskScreening(selfHarm, threats, knowsAddress, minor)).Build();

        @case.Priority.ShouldBe(CasePriority.Emergency);
        @case.IsMinor.ShouldBe(minor);
    }

    [Fact]
    public void Open_Sextortion_WithoutRisk_IsHigh()
    {
        new CaseBuilder().WithCrimes(CrimeType.ThreatToDistribute).Build().Priority.ShouldBe(CasePriority.High);
    }

    [Fact]
    public void Close_BeforeAssignment_IsRefused()
    {
        var @case = new CaseBuilder().Build();

        Should.Throw<DomainRuleException>(() => @case.Close(CaseOutcome.Resolved, "note", Guid.NewGuid(), CaseBuilder.Now))
            .Rule.ShouldBe("case.close.state");
        @case.Status.ShouldBe(CaseStatus.Triaged);
    }

    [Fact]
    public void Close_WithOpenTrack_RequiresReason()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        @case.Track(ServiceTrackKind.Legal).Start(companion.Id, CaseBuilder.Now);

        Should.Throw<DomainRuleException>(() => @case.Close(CaseOutcome.Resolved, "  ", companion.Id, CaseBuilder.Now))
            .Rule.ShouldBe("case.close.open-tracks");
        @case.Close(CaseOutcome.NoFurtherSupportWanted, "Victim asked to stop for now.", companion.Id, CaseBuilder.Now);

        @case.Status.ShouldBe(CaseStatus.Closed);
        @case.Outcome.ShouldBe(CaseOutcome.NoFurtherSupportWanted);
        @case.ClosedAt.ShouldBe(CaseBuilder.Now);
    }

    [Fact]
    public void Close_WithAllTracksDone_NeedsNoReason()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();

        @case.Close(CaseOutcome.Resolved, null, companion.Id, CaseBuilder.Now);

        @case.Status.ShouldBe(CaseStatus.Closed);
    }

    [Fact]
    public void Withdrawn_Case_RefusesEveryChange()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        @case.Withdraw(CaseBuilder.Now);

        Should.Throw<DomainRuleException>(() => @case.AssignTo(CaseBuilder.Companion("Minho"), Guid.NewGuid(), CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => @case.Amend("more", null, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => @case.Withdraw(CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => @case.Reopen(companion.Id, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => @case.Close(CaseOutcome.Resolved, "x", companion.Id, CaseBuilder.Now));
    }

    [Fact]
    public void Reassignment_KeepsTheFile_AndClosesThePreviousAssignment()
    {
        var first = CaseBuilder.Companion("Jiyoung");
        var second = CaseBuilder.Companion("Minho");
        var @case = new CaseBuilder().AssignedTo(first).Build();
        @case.Amend("more detail", null, CaseBuilder.Now);

        @case.AssignTo(second, Guid.NewGuid(), CaseBuilder.Now.AddDays(1), "workload");

        @case.AssignedCompanionId.ShouldBe(second.Id);
        @case.Assignments.Count.ShouldBe(2);
        @case.Assignments.Single(a => a.CompanionId == first.Id).EndedAt.ShouldNotBeNull();
        @case.Narrative.Text.ShouldBe("what happened");
        @case.Amendments.Count.ShouldBe(1);
        @case.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.Reassigned);
    }

    [Fact]
    public void Assign_ToSameCompanionOrInactiveAccount_IsRefused()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        var inactive = CaseBuilder.Companion("Gone");
        inactive.IsActive = false;

        Should.Throw<DomainRuleException>(() => @case.AssignTo(companion, Guid.NewGuid(), CaseBuilder.Now)).Rule.ShouldBe("case.assign.same");
        Should.Throw<DomainRuleException>(() => @case.AssignTo(inactive, Guid.NewGuid(), CaseBuilder.Now)).Rule.ShouldBe("case.assign.inactive");
    }

    [Fact]
    public void FirstContact_MovesAssignedCaseIntoProgress_AndIsKept()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();

        @case.RecordContact(CaseBuilder.Now.AddHours(2));
        @case.RecordContact(CaseBuilder.Now.AddHours(5));

        @case.Status.ShouldBe(CaseStatus.InProgress);
        @case.FirstContactAt.ShouldBe(CaseBuilder.Now.AddHours(2));
        @case.LastContactAt.ShouldBe(CaseBuilder.Now.AddHours(5));
    }

    [Fact]
    public void Amendments_AreAppended_NeverOverwriteTheNarrative()
    {
        var @case = new CaseBuilder().Build();

        @case.Amend("first addition", null, CaseBuilder.Now.AddDays(1));
        @case.Amend("second addition", null, CaseBuilder.Now.AddDays(2));

        @case.Narrative.Text.ShouldBe("what happened");
        @case.Amendments.Select(a => a.Text).ShouldBe(["first addition", "second addition"]);
    }

    [Fact]
    public void Referral_WithoutConsent_IsRefused_AndAllowedOnceGiven()
    {
        var companion = CaseBuilder.Companion();
        var @case = new CaseBuilder().AssignedTo(companion).Build();
        var partner = new PartnerInstitution("Counselling", ServiceTrackKind.Psychological, null);

        Should.Throw<DomainRuleException>(() => @case.Refer(ServiceTrackKind.Psychological, partner, companion.Id, null, CaseBuilder.Now))
            .Rule.ShouldBe("referral.no-consent");

        @case.GiveConsent(ServiceTrackKind.Psychological, null, CaseBuilder.Now);
        @case.Refer(ServiceTrackKind.Psychological, partner, companion.Id, null, CaseBuilder.Now);
        @case.Track(ServiceTrackKind.Psychological).Referrals.Count.ShouldBe(1);

        @case.WithdrawConsent(ServiceTrackKind.Psychological, null, CaseBuilder.Now.AddDays(1));
        Should.Throw<DomainRuleException>(() => @case.Refer(ServiceTrackKind.Psychological, partner, companion.Id, null, CaseBuilder.Now.AddDays(1)));
    }
}
