namespace OnSeoulSafe.Cases.Domain;

/// <summary>Answers to the intake's four safety questions.</summary>
public sealed record RiskScreening(bool SelfHarmThoughts, bool OngoingThreats, bool OffenderKnowsAddress, bool IsMinor)
{
    /// <summary>Any positive answer makes the case an emergency.</summary>
    public bool IsUrgent => SelfHarmThoughts || OngoingThreats || OffenderKnowsAddress || IsMinor;
}
