using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>English wording of the product's enums and rule codes; the localizer turns it into Korean.</summary>
public static class CaseLabels
{
    private static readonly Dictionary<Enum, string> Names = new()
    {
        [CaseStatus.New] = "New",
        [CaseStatus.Triaged] = "Triaged",
        [CaseStatus.Assigned] = "Assigned",
        [CaseStatus.InProgress] = "In progress",
        [CaseStatus.Closed] = "Closed",
        [CaseStatus.Withdrawn] = "Withdrawn by the victim",
        [CasePriority.Normal] = "Normal",
        [CasePriority.High] = "High",
        [CasePriority.Emergency] = "Emergency",
        [CrimeType.IllegalFilming] = "Illegal filming",
        [CrimeType.DistributionWithoutConsent] = "Distribution without consent",
        [CrimeType.Redistribution] = "Re-distribution",
        [CrimeType.ThreatToDistribute] = "Threat to distribute",
        [CrimeType.DeepfakeComposite] = "Deepfake or composite images",
        [CrimeType.OnlineSexualHarassment] = "Online sexual harassment",
        [CrimeType.OnlineGrooming] = "Online grooming",
        [ServiceTrackKind.Investigation] = "Investigation support",
        [ServiceTrackKind.Legal] = "Legal support",
        [ServiceTrackKind.Medical] = "Medical support",
        [ServiceTrackKind.Psychological] = "Psychological support",
        [ServiceTrackKind.Deletion] = "Deletion support",
        [ServiceTrackKind.DailyLifeRecovery] = "Daily-life recovery",
        [TrackStatus.NotStarted] = "Not started",
        [TrackStatus.Active] = "Active",
        [TrackStatus.OnHold] = "On hold",
        [TrackStatus.Completed] = "Completed",
        [TrackStatus.Declined] = "Declined",
        [ContactChannel.PortalOnly] = "Portal messages only",
        [ContactChannel.Phone] = "Phone",
        [ContactChannel.Text] = "Text message",
        [ContactChannel.Email] = "E-mail",
        [TimelineEventKind.CaseOpened] = "Case opened",
        [TimelineEventKind.Triaged] = "Triaged",
        [TimelineEventKind.Assigned] = "Assigned",
        [TimelineEventKind.Reassigned] = "Reassigned",
        [TimelineEventKind.StatusChanged] = "Status changed",
        [TimelineEventKind.NarrativeAmended] = "Narrative amended",
        [TimelineEventKind.ConsentChanged] = "Consent changed",
        [TimelineEventKind.SafeContactChanged] = "Safe-contact preferences changed",
        [TimelineEventKind.TrackStatusChanged] = "Track changed",
        [TimelineEventKind.Accompaniment] = "Accompaniment",
        [TimelineEventKind.Appointment] = "Appointment",
        [TimelineEventKind.HomeVisit] = "Home visit",
        [TimelineEventKind.Call] = "Call",
        [TimelineEventKind.Referral] = "Referral",
        [TimelineEventKind.Note] = "Note",
        [TimelineEventKind.ContentAdded] = "Content added",
        [TimelineEventKind.DeletionRequested] = "Deletion requested",
        [TimelineEventKind.DeletionOutcome] = "Deletion outcome",
        [TimelineEventKind.ErasureRequested] = "Erasure requested",
        [TimelineEventKind.ErasureCancelled] = "Erasure request cancelled by the victim",
        [TimelineEventKind.ReturnedToQueue] = "Returned to the intake queue",
        [TimelineEventKind.CaseFileExported] = "Case file exported",
        [TimelineEventKind.Hearing] = "Hearing",
        [TimelineEventKind.NoticeSent] = "Notice sent (no content)",
        [CaseOutcome.Resolved] = "Resolved",
        [CaseOutcome.ReferredOn] = "Referred on",
        [CaseOutcome.VictimUnreachable] = "Victim unreachable",
        [CaseOutcome.NoFurtherSupportWanted] = "No further support wanted",
        [CaseOutcome.Other] = "Other",
        [ReferralStatus.Sent] = "Sent",
        [ReferralStatus.Accepted] = "Accepted",
        [ReferralStatus.Declined] = "Declined",
        [ReferralStatus.Completed] = "Completed",
        [AccessAction.View] = "Viewed",
        [AccessAction.Edit] = "Changed",
        [AccessAction.Export] = "Exported",
        [AccessAction.Denied] = "Denied attempt",
        [AccessAction.BreakTheGlass] = "Broke the glass",
        [AccessAction.AccountCreated] = "Account created",
        [AccessAction.RolesChanged] = "Roles changed",
        [AccessAction.AccountDisabled] = "Account disabled",
        [AccessAction.AccountEnabled] = "Account enabled",
        [AccessAction.TwoFactorReset] = "Two-factor sign-in reset",
        [AccessAction.SignedIn] = "Signed in",
        [AccessAction.SignInFailed] = "Sign-in failed",
        [MessageSender.Victim] = "Victim",
        [MessageSender.Staff] = "Staff",
    };

    private static readonly Dictionary<string, string> Rules = new()
    {
        ["case.not-open"] = "The case is no longer open.",
        ["case.assign.same"] = "The case is already assigned to this companion.",
        ["case.assign.inactive"] = "An inactive staff account cannot take cases.",
        ["case.assign.self"] = "Taking a case for yourself breaks the glass: give a reason of at least 10 characters.",
        ["case.unassign.none"] = "The case is not assigned to anyone.",
        ["case.close.state"] = "The case cannot be closed in its current status.",
        ["case.close.open-tracks"] = "A service track is still open: state the reason for closing.",
        ["case.contact.unassigned"] = "Assign a companion before recording contact.",
        ["referral.no-consent"] = "The victim has not consented to referrals for this service. Ask for their consent first.",
        ["track.transition"] = "The track cannot move to that status from where it is.",
        ["track.handover.same"] = "This staff member is already responsible for the track.",
        ["track.handover.inactive"] = "An inactive staff account cannot take a track.",
        ["activity.kind"] = "Choose the kind of activity.",
        ["activity.duration"] = "Duration must be between 0 and 24 hours.",
        ["activity.before-case"] = "An accompaniment or home visit cannot be dated before the case was opened.",
        ["contact.channel-not-chosen"] = "The victim did not choose this channel.",
        ["contact.outside-safe-hours"] = "It is outside the victim's safe hours now.",
        ["contact.no-voicemail"] = "Do not leave a voicemail.",
        ["case-file.no-consent"] = "The victim has not consented to investigation or legal support.",
        ["case-file.erased"] = "The victim's personal data was erased.",
    };

    public static string Of(Enum value) => Names.TryGetValue(value, out var name) ? name : value.ToString();

    /// <summary>The English text for a domain rule or warning code.</summary>
    public static string Rule(string code) => Rules.TryGetValue(code, out var text) ? text : "This change is not allowed.";

    public static IReadOnlyList<TimelineEventKind> ActivityKinds { get; } =
    [
        TimelineEventKind.Accompaniment, TimelineEventKind.Appointment, TimelineEventKind.HomeVisit, TimelineEventKind.Call, TimelineEventKind.Hearing,
        TimelineEventKind.Note,
    ];
}
