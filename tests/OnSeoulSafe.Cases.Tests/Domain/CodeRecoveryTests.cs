using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class CodeRecoveryTests
{
    private static readonly DateTimeOffset Now = CaseBuilder.Now;

    private static (Case Case, CodeRecovery Request) Asked()
    {
        var @case = new CaseBuilder().Build();
        return (@case, new CodeRecovery(@case.Id, "0427", new byte[32], Now));
    }

    [Fact]
    public void Approving_makes_the_old_code_unusable_and_ends_every_session()
    {
        var (@case, request) = Asked();
        var before = @case.VictimSessionVersion;
        var unusable = new byte[32];
        unusable[0] = 7;

        request.Approve(@case, Guid.NewGuid(), unusable, Now.AddHours(1));

        request.Status.ShouldBe(CodeRecoveryStatus.Approved);
        @case.AccessCodeHash.ShouldBe(unusable);
        @case.VictimSessionVersion.ShouldBe(before + 1);
    }

    [Fact]
    public void Nothing_is_collected_before_approval_or_after_the_pickup_window_or_twice()
    {
        var (@case, request) = Asked();
        Should.Throw<DomainRuleException>(() => request.Collect(@case, new byte[32], Now.AddHours(1))).Rule.ShouldBe("recovery.not-approved");

        request.Approve(@case, Guid.NewGuid(), new byte[32], Now.AddHours(1));
        Should.Throw<DomainRuleException>(() => request.Collect(@case, new byte[32], Now.AddHours(1) + CodeRecovery.PickupWindow)).Rule.ShouldBe("recovery.not-approved");

        var fresh = new byte[32];
        fresh[1] = 9;
        request.Collect(@case, fresh, Now.AddHours(2));
        @case.AccessCodeHash.ShouldBe(fresh);
        Should.Throw<DomainRuleException>(() => request.Collect(@case, new byte[32], Now.AddHours(3)));
    }

    [Fact]
    public void A_declined_or_lapsed_request_cannot_be_decided_and_changes_nothing()
    {
        var (@case, declined) = Asked();
        var hash = @case.AccessCodeHash;
        declined.Decline(@case, Guid.NewGuid(), Now.AddHours(1));
        Should.Throw<DomainRuleException>(() => declined.Approve(@case, Guid.NewGuid(), new byte[32], Now.AddHours(2)));
        @case.AccessCodeHash.ShouldBeSameAs(hash);

        var (other, lapsed) = Asked();
        Should.Throw<DomainRuleException>(() => lapsed.Approve(other, Guid.NewGuid(), new byte[32], Now + CodeRecovery.RequestLifetime));
    }

    [Fact]
    public void A_request_for_an_unknown_reference_belongs_to_no_case_and_can_never_be_decided()
    {
        var @case = new CaseBuilder().Build();
        var request = new CodeRecovery(null, "1234", new byte[32], Now);

        Should.Throw<DomainRuleException>(() => request.Approve(@case, Guid.NewGuid(), new byte[32], Now)).Rule.ShouldBe("recovery.case");
    }
}
