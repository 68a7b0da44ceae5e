using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

/// <summary>Who may change whose roles, and which roles never go together.</summary>
public sealed class StaffDutiesTests
{
    private static readonly Guid Actor = Guid.NewGuid();

    [Fact]
    public void Nobody_changes_their_own_roles()
    {
        var refusal = Should.Throw<DomainRuleException>(() =>
            StaffRoles.EnsureMayChange(Actor, Actor, [StaffRoles.Manager], [StaffRoles.Manager, StaffRoles.Companion]));

        refusal.Rule.ShouldBe("staff.roles.self");
    }

    [Fact]
    public void Saving_ones_own_account_with_the_same_roles_is_not_a_change()
    {
        Should.NotThrow(() => StaffRoles.EnsureMayChange(Actor, Actor, [StaffRoles.Admin], [StaffRoles.Admin]));
    }

    [Theory]
    [InlineData(StaffRoles.Companion)]
    [InlineData(StaffRoles.Manager)]
    public void A_role_that_reads_cases_never_goes_with_the_auditor_role(string reader)
    {
        StaffRoles.KeepDutiesApart([reader, StaffRoles.Auditor]).ShouldBeFalse();
        Should.Throw<DomainRuleException>(() => StaffRoles.EnsureMayChange(Actor, Guid.NewGuid(), [reader], [reader, StaffRoles.Auditor]))
            .Rule.ShouldBe("staff.roles.duties");
    }

    [Fact]
    public void Other_combinations_are_allowed()
    {
        StaffRoles.KeepDutiesApart([StaffRoles.Auditor, StaffRoles.Monitor]).ShouldBeTrue();
        StaffRoles.KeepDutiesApart([StaffRoles.Manager, StaffRoles.Companion, StaffRoles.Admin]).ShouldBeTrue();
        Should.NotThrow(() => StaffRoles.EnsureMayChange(Actor, Guid.NewGuid(), [StaffRoles.Companion], [StaffRoles.Auditor]));
    }

    [Fact]
    public void Taking_a_case_for_oneself_needs_a_break_the_glass_reason()
    {
        var manager = CaseBuilder.Companion("Sujin");
        var @case = new CaseBuilder().Build();

        Should.Throw<DomainRuleException>(() => @case.AssignTo(manager, manager.Id, CaseBuilder.Now)).Rule.ShouldBe("case.assign.self");
        Should.Throw<DomainRuleException>(() => @case.AssignTo(manager, manager.Id, CaseBuilder.Now, "short")).Rule.ShouldBe("case.assign.self");
        @case.AssignTo(manager, manager.Id, CaseBuilder.Now, "covering tonight's emergency shift");

        @case.AssignedCompanionId.ShouldBe(manager.Id);
    }
}
