using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Tests.Domain;

/// <summary>Builds cases in a chosen state for domain tests.</summary>
internal sealed class CaseBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private RiskScreening _risk = new(false, false, false, false);
    private CrimeType[] _crimes = [CrimeType.IllegalFilming];
    private StaffMember? _companion;
    private string? _nickname;

    public CaseBuilder WithNickname(string nickname)
    {
        _nickname = nickname;
        return this;
    }

    public CaseBuilder WithRisk(RiskScreening risk)
    {
        _risk = risk;
        return this;
    }

    public CaseBuilder WithCrimes(params CrimeType[] crimes)
    {
        _crimes = crimes;
        return this;
    }

    public CaseBuilder AssignedTo(StaffMember companion)
    {
        _companion = companion;
        return this;
    }

    public Case Build()
    {
        var @case = Case.Open(123, "SDS-2026-000123", Guid.NewGuid().ToByteArray(), new Victim(_nickname, "ko"), _crimes, "what happened", null, _risk, SafeContact.PortalOnly, new byte[32], Now);
        if (_companion is not null) @case.AssignTo(_companion, Guid.NewGuid(), Now.AddHours(1));
        return @case;
    }

    public static StaffMember Companion(string firstName = "Jiyoung") =>
        new() { Id = Guid.NewGuid(), FirstName = firstName, UserName = firstName, IsActive = true };
}
