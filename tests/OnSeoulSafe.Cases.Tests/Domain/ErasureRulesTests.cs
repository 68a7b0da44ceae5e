using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class ErasureRulesTests
{
    [Fact]
    public void The_manager_who_gave_the_first_approval_cannot_give_the_second()
    {
        var request = new ErasureRequest(1, CaseBuilder.Now);
        var manager = Guid.NewGuid();
        request.Approve(manager, CaseBuilder.Now);

        var refusal = Should.Throw<DomainRuleException>(() => request.Approve(manager, CaseBuilder.Now));

        refusal.Rule.ShouldBe("erasure.same-approver");
        request.Status.ShouldBe(ErasureStatus.FirstApproval);
        request.Approve(Guid.NewGuid(), CaseBuilder.Now);
        request.Status.ShouldBe(ErasureStatus.Completed);
    }

    [Fact]
    public void The_victim_can_cancel_a_request_until_it_is_decided_and_the_timeline_says_so()
    {
        var @case = new CaseBuilder().Build();
        var pending = new ErasureRequest(@case.Id, CaseBuilder.Now);
        pending.Approve(Guid.NewGuid(), CaseBuilder.Now);

        @case.CancelErasure(pending, CaseBuilder.Now.AddHours(1));

        pending.Status.ShouldBe(ErasureStatus.Cancelled);
        pending.IsPending.ShouldBeFalse();
        @case.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.ErasureCancelled);
        Should.Throw<DomainRuleException>(() => pending.Approve(Guid.NewGuid(), CaseBuilder.Now)).Rule.ShouldBe("erasure.state");
        Should.Throw<DomainRuleException>(() => pending.Reject(Guid.NewGuid(), "no", CaseBuilder.Now)).Rule.ShouldBe("erasure.state");
        var completed = new ErasureRequest(@case.Id, CaseBuilder.Now);
        completed.Approve(Guid.NewGuid(), CaseBuilder.Now);
        completed.Approve(Guid.NewGuid(), CaseBuilder.Now);
        Should.Throw<DomainRuleException>(() => @case.CancelErasure(completed, CaseBuilder.Now)).Rule.ShouldBe("erasure.state");
    }

    [Fact]
    public void A_service_is_never_agreed_agreed_or_withdrawn_as_the_consents_say()
    {
        var @case = new CaseBuilder().Build();
        @case.GiveConsent(ServiceTrackKind.Legal, null, CaseBuilder.Now);
        @case.GiveConsent(ServiceTrackKind.Medical, null, CaseBuilder.Now);
        @case.WithdrawConsent(ServiceTrackKind.Medical, null, CaseBuilder.Now.AddDays(1));

        @case.ConsentStateOf(ServiceTrackKind.Legal).ShouldBe(ConsentState.Given);
        @case.ConsentStateOf(ServiceTrackKind.Medical).ShouldBe(ConsentState.Withdrawn);
        @case.ConsentStateOf(ServiceTrackKind.Psychological).ShouldBe(ConsentState.NeverGiven);
    }

    [Fact]
    public void Erasing_a_case_removes_what_identifies_the_victim_and_keeps_the_statistics()
    {
        var @case = new CaseBuilder().WithNickname("Sky").WithCrimes(CrimeType.ThreatToDistribute).Build();
        @case.ChangeSafeContact(new SafeContact(ContactChannel.Phone, "010-1111-2222", "me@example.org", new TimeOnly(18, 0), new TimeOnly(21, 0), true, "umbrella"), CaseBuilder.Now);
        @case.Amend("He wrote again.", null, CaseBuilder.Now);
        @case.PostMessage(MessageSender.Victim, null, "Call me after six.", CaseBuilder.Now);

        @case.Erase(CaseBuilder.Now.AddDays(1));

        @case.Narrative.Text.ShouldBeEmpty();
        @case.Amendments.ShouldAllBe(a => a.Text.Length == 0);
        @case.Messages.ShouldAllBe(m => m.Body.Length == 0);
        @case.Victim.Nickname.ShouldBeNull();
        @case.SafeContact.ShouldBe(new SafeContact(ContactChannel.Phone, null, null, null, null, false, null));
        @case.Status.ShouldBe(CaseStatus.Withdrawn);
        @case.CrimeTypes.ShouldBe([CrimeType.ThreatToDistribute]);
        @case.ErasedAt.ShouldBe(CaseBuilder.Now.AddDays(1));
    }
}
