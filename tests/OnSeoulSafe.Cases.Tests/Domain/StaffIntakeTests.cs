using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class StaffIntakeTests
{
    private static Case TakenBy(StaffMember taker, IntakeChannel channel = IntakeChannel.Phone) =>
        Case.Open(124, "SDS-2026-000124", Guid.NewGuid().ToByteArray(), new Victim(null, "ko"), [CrimeType.IllegalFilming], "what happened", null,
            new RiskScreening(false, false, false, false), SafeContact.PortalOnly, new byte[32], CaseBuilder.Now, new StaffIntake(channel, taker.Id));

    [Fact]
    public void A_report_taken_by_staff_names_its_channel_and_taker_on_the_case_and_its_first_event()
    {
        var taker = CaseBuilder.Companion();

        var @case = TakenBy(taker, IntakeChannel.Visit);

        @case.IntakeChannel.ShouldBe(IntakeChannel.Visit);
        @case.IntakeStaffId.ShouldBe(taker.Id);
        @case.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.CaseOpened && e.StaffId == taker.Id && e.Detail == "Visit");
        new CaseBuilder().Build().IntakeChannel.ShouldBe(IntakeChannel.Web);
    }

    [Fact]
    public void A_staff_intake_through_the_web_channel_is_refused()
    {
        Should.Throw<DomainRuleException>(() => new StaffIntake(IntakeChannel.Web, Guid.NewGuid()));
    }

    [Fact]
    public void A_consent_given_aloud_names_who_heard_it_on_the_consent_and_the_timeline()
    {
        var taker = CaseBuilder.Companion();
        var @case = TakenBy(taker);

        @case.GiveConsent(ServiceTrackKind.Legal, null, CaseBuilder.Now, verballyTo: taker.Id);

        @case.Consents.Single().VerballyToStaffId.ShouldBe(taker.Id);
        @case.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.ConsentChanged && e.StaffId == taker.Id && e.Detail == "GivenVerbally:Legal");
    }

    [Fact]
    public void Only_the_staff_member_who_took_the_report_keeps_the_case_this_way()
    {
        var taker = CaseBuilder.Companion();
        var other = CaseBuilder.Companion("Minji");
        var @case = TakenBy(taker);

        Should.Throw<DomainRuleException>(() => @case.KeepForIntakeTaker(other, CaseBuilder.Now));
        Should.Throw<DomainRuleException>(() => new CaseBuilder().Build().KeepForIntakeTaker(taker, CaseBuilder.Now));
        @case.KeepForIntakeTaker(taker, CaseBuilder.Now);

        @case.AssignedCompanionId.ShouldBe(taker.Id);
        @case.Status.ShouldBe(CaseStatus.Assigned);
    }
}
