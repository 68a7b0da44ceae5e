using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Tests.Domain;

namespace OnSeoulSafe.Cases.Tests.Deletion;

/// <summary>Who may act on a copy monitoring found, and what a companion's decision may be.</summary>
public sealed class MonitoringMatchRulesTests
{
    private static readonly DateTimeOffset Now = CaseBuilder.Now;

    private static MonitoringMatch Waiting()
    {
        var item = new ContentItem(1, "https://pics.example.com/a.jpg", new byte[32], 1, ContentKind.Image, ContentFinder.Monitoring, false, Now);
        var match = new MonitoringMatch(item, 1, HashKind.PdqImage, 10, 80, new string('a', 64), Now);
        match.Wait(MatchWaitReason.NoConsent);
        return match;
    }

    [Theory]
    [InlineData(0, 100, 31, true, false, true, null)]
    [InlineData(31, 50, 31, true, true, false, null)]
    [InlineData(12, 80, 10, true, true, true, MatchWaitReason.AboveAutomaticDistance)]
    [InlineData(12, 80, 40, true, true, true, null)]
    [InlineData(12, 49, 31, true, true, true, MatchWaitReason.LowQuality)]
    [InlineData(12, 80, 31, false, true, true, MatchWaitReason.NoPlatform)]
    [InlineData(12, 80, 31, true, false, false, MatchWaitReason.NoConsent)]
    public void A_copy_acts_alone_only_when_close_reliable_addressed_and_allowed(int distance, int quality, int automaticMax, bool hasPlatform, bool minor, bool allows, MatchWaitReason? expected) =>
        MonitoringMatch.WhyNotAutomatic(distance, quality, automaticMax, hasPlatform, minor, allows).ShouldBe(expected);

    [Fact]
    public void A_match_beyond_distance_31_is_refused()
    {
        var item = new ContentItem(1, "https://pics.example.com/b.jpg", new byte[32], 1, ContentKind.Image, ContentFinder.Monitoring, false, Now);

        Should.Throw<DomainRuleException>(() => new MonitoringMatch(item, 1, HashKind.PdqImage, 32, 80, null, Now));
    }

    [Fact]
    public void Dismissing_needs_a_reason_and_a_decided_match_cannot_be_decided_again()
    {
        var match = Waiting();
        var staff = Guid.NewGuid();

        Should.Throw<DomainRuleException>(() => match.Dismiss(staff, "  ", Now));
        Should.Throw<DomainRuleException>(() => match.Dismiss(staff, new string('x', MonitoringMatch.MaxReasonLength + 1), Now));
        match.Dismiss(staff, " not the same picture ", Now);

        match.Decision.ShouldBe(MatchDecision.Dismissed);
        match.DismissReason.ShouldBe("not the same picture");
        Should.Throw<DomainRuleException>(() => match.Approve(staff, Now));
    }

    [Fact]
    public void Automatic_requests_count_for_an_adult_only_while_deletion_support_is_consented_and_always_for_a_minor()
    {
        var adult = new CaseBuilder().Build();
        var minor = new CaseBuilder().WithRisk(new RiskScreening(false, false, false, true)).Build();

        adult.SetAutomaticRequests(true, Now);
        var withoutDeletionConsent = adult.AllowsAutomaticRequests;
        adult.GiveConsent(ServiceTrackKind.Deletion, null, Now);
        var withConsent = adult.AllowsAutomaticRequests;
        adult.SetAutomaticRequests(false, Now);

        withoutDeletionConsent.ShouldBeFalse();
        withConsent.ShouldBeTrue();
        adult.AllowsAutomaticRequests.ShouldBeFalse();
        adult.Timeline.Select(t => t.Detail).ShouldContain("Withdrawn:AutomaticRequests");
        minor.AllowsAutomaticRequests.ShouldBeTrue();
    }
}
