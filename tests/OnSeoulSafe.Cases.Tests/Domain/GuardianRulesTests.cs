using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

/// <summary>A minor decides which guardian may be contacted; one she says may be the offender or unsafe never is.</summary>
public sealed class GuardianRulesTests
{
    private static Case Minor() => new CaseBuilder().WithRisk(new RiskScreening(false, false, false, true)).Build();

    [Fact]
    public void A_guardian_the_minor_named_safe_may_be_contacted_at_the_contact_she_gave()
    {
        var @case = Minor();

        @case.NameSafeGuardian(GuardianRelation.Mother, " 010-2222-3333 ", CaseBuilder.Now);

        @case.EnsureMayContactGuardian(GuardianRelation.Mother).ShouldBe("010-2222-3333");
        @case.Timeline.ShouldContain(e => e.Detail == "GuardianSafe:Mother");
    }

    [Fact]
    public void A_guardian_she_said_may_be_the_offender_is_never_contacted_and_their_contact_is_removed()
    {
        var @case = Minor();
        @case.NameSafeGuardian(GuardianRelation.Father, "010-4444-5555", CaseBuilder.Now);

        @case.MarkGuardianUnsafe(GuardianRelation.Father, CaseBuilder.Now.AddDays(1));

        var refused = Should.Throw<DomainRuleException>(() => @case.EnsureMayContactGuardian(GuardianRelation.Father));
        refused.Rule.ShouldBe("guardian.unsafe");
        @case.Guardians.Single().Contact.ShouldBeNull();
        @case.Timeline.ShouldContain(e => e.Detail == "GuardianUnsafe:Father");
    }

    [Fact]
    public void A_guardian_she_did_not_name_is_not_contacted()
    {
        var @case = Minor();
        @case.NameSafeGuardian(GuardianRelation.Mother, "010-2222-3333", CaseBuilder.Now);

        Should.Throw<DomainRuleException>(() => @case.EnsureMayContactGuardian(GuardianRelation.Father)).Rule.ShouldBe("guardian.not-named");
    }

    [Fact]
    public void Guardians_are_recorded_only_for_a_minor()
    {
        var adult = new CaseBuilder().Build();

        Should.Throw<DomainRuleException>(() => adult.NameSafeGuardian(GuardianRelation.Mother, "010-2222-3333", CaseBuilder.Now)).Rule.ShouldBe("guardian.not-minor");
        Should.Throw<DomainRuleException>(() => adult.MarkGuardianUnsafe(GuardianRelation.Mother, CaseBuilder.Now)).Rule.ShouldBe("guardian.not-minor");
    }

    [Fact]
    public void Erasure_removes_a_guardians_contact()
    {
        var @case = Minor();
        @case.NameSafeGuardian(GuardianRelation.Grandparent, "grandma@example.com", CaseBuilder.Now);

        @case.Erase(CaseBuilder.Now.AddDays(2));

        @case.Guardians.Single().Contact.ShouldBeNull();
        Should.Throw<DomainRuleException>(() => @case.EnsureMayContactGuardian(GuardianRelation.Grandparent));
    }

    [Fact]
    public void A_companions_message_nudges_a_victim_who_chose_text_and_not_one_who_chose_portal_messages_only()
    {
        var companion = CaseBuilder.Companion();
        var portalOnly = new CaseBuilder().AssignedTo(companion).Build();
        var byText = new CaseBuilder().AssignedTo(companion).Build();
        byText.ChangeSafeContact(new SafeContact(ContactChannel.Text, "010-1111-2222", null, null, null, false, null), CaseBuilder.Now);

        portalOnly.PostMessage(MessageSender.Staff, companion.Id, "안녕하세요", CaseBuilder.Now.AddHours(2));
        byText.PostMessage(MessageSender.Staff, companion.Id, "안녕하세요", CaseBuilder.Now.AddHours(2));

        portalOnly.PersonNotices.ShouldBeEmpty();
        var nudge = byText.PersonNotices.ShouldHaveSingleItem();
        nudge.Channel.ShouldBe(PersonNoticeChannel.Sms);
        nudge.Reason.ShouldBe("message");
    }
}
