namespace OnSeoulSafe.Cases.Domain;

public enum CaseStatus { New, Triaged, Assigned, InProgress, Closed, Withdrawn }

public enum CasePriority { Normal, High, Emergency }

/// <summary>The city's own list of digital sex crimes.</summary>
public enum CrimeType
{
    IllegalFilming,
    DistributionWithoutConsent,
    Redistribution,
    ThreatToDistribute,
    DeepfakeComposite,
    OnlineSexualHarassment,
    OnlineGrooming,
}

public enum ServiceTrackKind { Investigation, Legal, Medical, Psychological, Deletion, DailyLifeRecovery }

public enum TrackStatus { NotStarted, Active, OnHold, Completed, Declined }

public enum ContactChannel { PortalOnly, Phone, Text, Email }

public enum TimelineEventKind
{
    CaseOpened,
    Triaged,
    Assigned,
    Reassigned,
    StatusChanged,
    NarrativeAmended,
    ConsentChanged,
    SafeContactChanged,
    TrackStatusChanged,
    Accompaniment,
    Appointment,
    HomeVisit,
    Call,
    Referral,
    Note,
    ContentAdded,
    DeletionRequested,
    DeletionOutcome,
    ErasureRequested,
    DataErased,
    ErasureCancelled,
    ReturnedToQueue,
    /// <summary>The case file was generated as a PDF for the police or a court; the detail holds its SHA-256.</summary>
    CaseFileExported,
    /// <summary>A court hearing the companion attends with the victim.</summary>
    Hearing,
    /// <summary>A content-free notice went out (to the victim or her companion); the detail names only its kind and channel.</summary>
    NoticeSent,
}

public enum AccessAction
{
    View, Edit, Export, Denied, BreakTheGlass,

    // Staff accounts: who changed whose account, who signed in, who failed to.
    AccountCreated, RolesChanged, AccountDisabled, AccountEnabled, TwoFactorReset, SignedIn, SignInFailed,

    // The center's practice for minors: who changed which rule, from what to what.
    MinorsPracticeChanged,
}

public enum ContentKind { Video, Image, Post, Other }

public enum ContentFinder { Victim, Companion, CitizenMonitor, RecheckJob, Monitoring }

public enum ContentStatus { Found, Requested, Deleted, Refused, NoResponse, VerifiedGone, Reappeared }

public enum RequestChannel { WebForm, Email, TrustedFlagger }

public enum RecheckOutcome { Gone, StillUp, Unreachable, Refused }

public enum MonitorReportStatus { New, LinkedToCase, DeletionOpened, Dismissed }

public enum ReferralStatus { Sent, Accepted, Declined, Completed }

public enum MessageSender { Victim, Staff }

/// <summary>An erasure request's state; the victim may cancel it until it is completed or rejected.</summary>
public enum ErasureStatus { Requested, FirstApproval, Completed, Rejected, Cancelled }

/// <summary>Where the victim's consent to a service stands: never given, given now, or given and later withdrawn.</summary>
public enum ConsentState { NeverGiven, Given, Withdrawn }

public enum CaseOutcome { Resolved, ReferredOn, VictimUnreachable, NoFurtherSupportWanted, Other }

/// <summary>How the same file came to light elsewhere: on another case's evidence, or served by a link the re-check job fetched.</summary>
public enum HashMatchSource { AnotherCase, RecheckJob }
