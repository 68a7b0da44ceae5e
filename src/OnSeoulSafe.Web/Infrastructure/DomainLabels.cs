using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Infrastructure;

/// <summary>The words people read for domain values; the English wording is the key into DomainText.ko.resx.</summary>
public static class DomainLabels
{
    private static readonly Dictionary<Enum, string> English = new()
    {
        [CrimeType.IllegalFilming] = "Illegal filming",
        [CrimeType.DistributionWithoutConsent] = "Sharing without consent",
        [CrimeType.Redistribution] = "Re-sharing of content",
        [CrimeType.ThreatToDistribute] = "Threats to share (sextortion)",
        [CrimeType.DeepfakeComposite] = "Fake or composite images (deepfakes)",
        [CrimeType.OnlineSexualHarassment] = "Sexual harassment online",
        [CrimeType.OnlineGrooming] = "Online grooming",
        [ServiceTrackKind.Investigation] = "Investigation support",
        [ServiceTrackKind.Legal] = "Legal support",
        [ServiceTrackKind.Medical] = "Medical support",
        [ServiceTrackKind.Psychological] = "Counselling and psychological support",
        [ServiceTrackKind.Deletion] = "Deletion of the content",
        [ServiceTrackKind.DailyLifeRecovery] = "Daily-life recovery",
        [CaseStatus.New] = "New",
        [CaseStatus.Triaged] = "Received",
        [CaseStatus.Assigned] = "Companion assigned",
        [CaseStatus.InProgress] = "In progress",
        [CaseStatus.Closed] = "Closed",
        [CaseStatus.Withdrawn] = "Withdrawn",
        [CasePriority.Normal] = "Normal",
        [CasePriority.High] = "High",
        [CasePriority.Emergency] = "Emergency",
        [TrackStatus.NotStarted] = "Not started",
        [TrackStatus.Active] = "Active",
        [TrackStatus.OnHold] = "On hold",
        [TrackStatus.Completed] = "Completed",
        [TrackStatus.Declined] = "Not needed",
        [ContactChannel.PortalOnly] = "Only through this website",
        [ContactChannel.Phone] = "Phone call",
        [ContactChannel.Text] = "Text message",
        [ContactChannel.Email] = "E-mail",
        [ContentStatus.Found] = "Found",
        [ContentStatus.Requested] = "Deletion requested",
        [ContentStatus.Deleted] = "Deleted by the platform",
        [ContentStatus.Refused] = "Refused by the platform",
        [ContentStatus.NoResponse] = "No response",
        [ContentStatus.VerifiedGone] = "Verified gone",
        [ContentStatus.Reappeared] = "Reappeared",
    };

    public static string Label(this IStringLocalizer<DomainText> text, Enum value) =>
        text[English.TryGetValue(value, out var english) ? english : value.ToString()];
}
