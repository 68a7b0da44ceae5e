namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// One link to content about a victim, followed from "found" until it is verified gone.
/// A case-less item (no <see cref="CaseId"/>) comes from a citizen monitor's report about an unknown victim.
/// </summary>
public sealed class ContentItem
{
    private ContentItem() { }

    public ContentItem(long? caseId, string url, byte[] urlFingerprint, int? platformId, ContentKind kind, ContentFinder foundBy, bool isMinor, DateTimeOffset now)
    {
        CaseId = caseId;
        Url = url;
        UrlFingerprint = urlFingerprint;
        PlatformId = platformId;
        Kind = kind;
        FoundBy = foundBy;
        IsMinor = isMinor;
        FirstSeenAt = now;
        Status = ContentStatus.Found;
        StatusChangedAt = now;
        History.Add(new ContentItemEvent(ContentStatus.Found, ContentStatus.Found, now, null, foundBy.ToString(), platformId));
    }

    public long Id { get; private set; }
    public long? CaseId { get; private set; }

    /// <summary>The normalised URL. Encrypted at rest; shown to staff as inert text only.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Keyed hash of the normalised URL: finds duplicates without decrypting.</summary>
    public byte[] UrlFingerprint { get; private set; } = [];

    public int? PlatformId { get; private set; }
    public Platform? Platform { get; private set; }
    public ContentKind Kind { get; private set; }
    public ContentFinder FoundBy { get; private set; }
    public bool IsMinor { get; private set; }
    public DateTimeOffset FirstSeenAt { get; private set; }

    /// <summary>SHA-256 (hex) of the file, when the victim offered it (hashed in their browser).</summary>
    public string? Sha256 { get; private set; }
    public string? PerceptualHash { get; private set; }

    public ContentStatus Status { get; private set; }
    public DateTimeOffset StatusChangedAt { get; private set; }
    public DateTimeOffset? LastCheckedAt { get; private set; }
    public RecheckOutcome? LastCheckOutcome { get; private set; }
    public bool? LastCheckHashMatched { get; private set; }

    /// <summary>Where the item stands on the escalation ladder (<see cref="Domain.EscalationStep"/>).</summary>
    public EscalationStep EscalationStep { get; private set; }

    /// <summary>When the platform's time to remove runs out and the item climbs to the next step; null while nothing is timed.</summary>
    public DateTimeOffset? EscalationDueAt { get; private set; }

    public List<ContentItemEvent> History { get; private set; } = [];
    public List<DeletionRequest> Requests { get; private set; } = [];

    private static readonly Dictionary<ContentStatus, ContentStatus[]> Allowed = new()
    {
        [ContentStatus.Found] = [ContentStatus.Requested],
        [ContentStatus.Requested] = [ContentStatus.Deleted, ContentStatus.Refused, ContentStatus.NoResponse, ContentStatus.VerifiedGone],
        [ContentStatus.Deleted] = [ContentStatus.VerifiedGone, ContentStatus.Reappeared],
        [ContentStatus.Refused] = [ContentStatus.Requested, ContentStatus.VerifiedGone],
        [ContentStatus.NoResponse] = [ContentStatus.Requested, ContentStatus.VerifiedGone],
        [ContentStatus.VerifiedGone] = [ContentStatus.Reappeared],
        [ContentStatus.Reappeared] = [ContentStatus.Requested],
    };

    public static bool CanMove(ContentStatus from, ContentStatus to) => Allowed[from].Contains(to);

    /// <summary>Items whose link the re-check job should look at.</summary>
    public bool NeedsRecheck => Status is ContentStatus.Requested or ContentStatus.Deleted or ContentStatus.Refused
        or ContentStatus.NoResponse or ContentStatus.VerifiedGone;

    public void SetHashes(string? sha256, string? perceptualHash)
    {
        Sha256 = sha256 ?? Sha256;
        PerceptualHash = perceptualHash ?? PerceptualHash;
    }

    public void AssignPlatform(int? platformId) => PlatformId = platformId;

    public DeletionRequest RequestDeletion(int platformId, RequestChannel channel, string language, Guid? staffId, DateTimeOffset now)
    {
        EnsureCanMove(ContentStatus.Requested);
        PlatformId = platformId;
        MoveTo(ContentStatus.Requested, now, staffId, channel.ToString());
        var request = new DeletionRequest(Id, platformId, channel, language, staffId, now);
        Requests.Add(request);
        return request;
    }

    /// <summary>Records the platform's answer to the open request.</summary>
    public void RecordOutcome(ContentStatus outcome, Guid? staffId, DateTimeOffset now)
    {
        if (outcome is not (ContentStatus.Deleted or ContentStatus.Refused or ContentStatus.NoResponse))
        {
            throw new DomainRuleException("content.outcome", $"{outcome} is not a platform's answer.");
        }
        MoveTo(outcome, now, staffId, null);
        OpenRequest?.Resolve(outcome, now);
    }

    /// <summary>
    /// A person opened the link by hand and found the content gone (the re-check job is off, or cannot reach the
    /// page): verified gone, as the re-check would have recorded it, with who checked. An open request counts as
    /// answered by the deletion.
    /// </summary>
    public void ConfirmGoneByHand(Guid staffId, DateTimeOffset now)
    {
        EnsureCanMove(ContentStatus.VerifiedGone);
        OpenRequest?.Resolve(ContentStatus.Deleted, now);
        MoveTo(ContentStatus.VerifiedGone, now, staffId, "checked-by-hand");
    }

    /// <summary>A notice step on the ledger (sent, failed, answered): the status stays, the history records it.</summary>
    public void RecordNoticeEvent(string note, DateTimeOffset now) =>
        History.Add(new ContentItemEvent(Status, Status, now, null, note.Length > 200 ? note[..200] : note, PlatformId));

    /// <summary>Items whose ladder may climb: requested and not removed (refused and unanswered included).</summary>
    public bool AwaitsRemoval => Status is ContentStatus.Requested or ContentStatus.Refused or ContentStatus.NoResponse;

    /// <summary>
    /// A request starts the ladder at its first notice. The platform's time runs from <paramref name="verifiedAt"/>: the
    /// request itself for a notice a person sends, the moment the platform took it for one the portal sends (null until then).
    /// </summary>
    public void StartLadder(DateTimeOffset? verifiedAt, TimeSpan deadline)
    {
        EscalationStep = EscalationStep.FirstNotice;
        EscalationDueAt = verifiedAt + deadline;
    }

    /// <summary>The notice of the current step was verified sent: the platform's deadline starts.</summary>
    public void StartDeadline(DateTimeOffset verifiedAt, TimeSpan deadline)
    {
        if (AwaitsRemoval && EscalationStep is EscalationStep.FirstNotice or EscalationStep.SecondNotice) EscalationDueAt = verifiedAt + deadline;
    }

    /// <summary>
    /// The platform's time ran out: one step up (first notice → second notice → report to the regulator prepared;
    /// report recorded as sent → investigation track). Refuses when nothing is due. <paramref name="timedAt"/> starts the
    /// new step's deadline at once (a second notice a person sends); null leaves it to the notice's verified time.
    /// </summary>
    public EscalationStep ClimbLadder(DateTimeOffset now, DateTimeOffset? timedAt, TimeSpan deadline)
    {
        if (!AwaitsRemoval || EscalationDueAt is not { } due || due > now)
        {
            throw new DomainRuleException("ladder.not-due", "This link is not due for the next step.");
        }
        EscalationStep = EscalationStep switch
        {
            EscalationStep.FirstNotice => EscalationStep.SecondNotice,
            EscalationStep.SecondNotice => EscalationStep.RegulatorReport,
            EscalationStep.RegulatorReported => EscalationStep.Investigation,
            _ => throw new DomainRuleException("ladder.no-step", "There is no timed step after this one."),
        };
        EscalationDueAt = EscalationStep == EscalationStep.SecondNotice ? timedAt + deadline : null;
        History.Add(new ContentItemEvent(Status, Status, now, null, "ladder:" + EscalationStep, PlatformId));
        return EscalationStep;
    }

    /// <summary>A person records the prepared report to the regulator (KCSC) as sent; the regulator's deadline starts.</summary>
    public void RecordRegulatorReportSent(Guid staffId, DateTimeOffset now, TimeSpan deadline)
    {
        if (EscalationStep != EscalationStep.RegulatorReport || !AwaitsRemoval)
        {
            throw new DomainRuleException("ladder.no-report", "No report to the regulator is waiting for this link.");
        }
        EscalationStep = EscalationStep.RegulatorReported;
        EscalationDueAt = now + deadline;
        History.Add(new ContentItemEvent(Status, Status, now, staffId, "ladder:" + EscalationStep, PlatformId));
    }

    /// <summary>Applies a re-check of the link; returns true when the status changed.</summary>
    public bool ApplyRecheck(RecheckOutcome outcome, bool? hashMatched, DateTimeOffset now)
    {
        LastCheckedAt = now;
        LastCheckOutcome = outcome;
        LastCheckHashMatched = hashMatched;
        var before = Status;
        switch (outcome)
        {
            case RecheckOutcome.Gone when Status is not ContentStatus.VerifiedGone && CanMove(Status, ContentStatus.VerifiedGone):
                OpenRequest?.Resolve(ContentStatus.Deleted, now);
                MoveTo(ContentStatus.VerifiedGone, now, null, "recheck");
                break;
            case RecheckOutcome.StillUp when Status is ContentStatus.Deleted or ContentStatus.VerifiedGone:
                MoveTo(ContentStatus.Reappeared, now, null, hashMatched == true ? "recheck:hash-match" : "recheck");
                break;
        }
        return before != Status;
    }

    /// <summary>
    /// The link was found serving the content again by someone other than the re-check (monitoring): after a deletion
    /// that is a reappearance, which opens a new request; otherwise nothing changes. True when it reappeared.
    /// </summary>
    public bool FoundOnlineAgain(DateTimeOffset now, string note)
    {
        if (Status is not (ContentStatus.Deleted or ContentStatus.VerifiedGone)) return false;
        MoveTo(ContentStatus.Reappeared, now, null, note);
        return true;
    }

    public DeletionRequest? OpenRequest => Requests.Where(r => r.ResolvedAt is null).MaxBy(r => r.RequestedAt);

    private void EnsureCanMove(ContentStatus to)
    {
        if (!CanMove(Status, to))
        {
            throw new DomainRuleException("content.transition", $"A link cannot move from {Status} to {to}.");
        }
    }

    private void MoveTo(ContentStatus to, DateTimeOffset now, Guid? staffId, string? note)
    {
        EnsureCanMove(to);
        History.Add(new ContentItemEvent(Status, to, now, staffId, note, PlatformId));
        Status = to;
        StatusChangedAt = now;
        // Removed or verified gone: the platform acted, the ladder's clock stops.
        if (to is ContentStatus.Deleted or ContentStatus.VerifiedGone) EscalationDueAt = null;
        // The latest request owns what happens until the next one: time to verified deletion and any reappearance
        // are measured per request (PlatformStatistics and the dashboard read these two dates).
        var latest = Requests.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id == 0 ? long.MaxValue : r.Id).LastOrDefault();
        if (to == ContentStatus.VerifiedGone) latest?.MarkVerifiedGone(now);
        if (to == ContentStatus.Reappeared) latest?.MarkReappeared(now);
    }

    /// <summary>Erasure removes the link and the file's hashes; status, platform and dates stay for the statistics.</summary>
    public void Erase()
    {
        Url = "";
        Sha256 = null;
        PerceptualHash = null;
        // A keyed hash of the link could still confirm a guessed address: replace it with noise (stays unique).
        UrlFingerprint = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    }
}

/// <summary>One dated step in a content item's life.</summary>
public sealed class ContentItemEvent
{
    private ContentItemEvent() { }

    internal ContentItemEvent(ContentStatus from, ContentStatus to, DateTimeOffset at, Guid? staffId, string? note, int? platformId)
    {
        PlatformId = platformId;
        From = from;
        To = to;
        At = at;
        StaffId = staffId;
        Note = note;
    }

    public long Id { get; private set; }
    public long ContentItemId { get; private set; }
    public ContentStatus From { get; private set; }
    public ContentStatus To { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid? StaffId { get; private set; }

    /// <summary>The platform the item was on at this step, so per-platform statistics keep their history.</summary>
    public int? PlatformId { get; private set; }

    /// <summary>Machine note (channel, "recheck"); never the URL.</summary>
    public string? Note { get; private set; }
}

/// <summary>A request to a platform to delete one item: when, how, and what came of it (for time-to-deletion statistics).</summary>
public sealed class DeletionRequest
{
    private DeletionRequest() { }

    internal DeletionRequest(long contentItemId, int platformId, RequestChannel channel, string language, Guid? staffId, DateTimeOffset requestedAt)
    {
        ContentItemId = contentItemId;
        PlatformId = platformId;
        Channel = channel;
        Language = language;
        RequestedById = staffId;
        RequestedAt = requestedAt;
    }

    public long Id { get; private set; }
    public long ContentItemId { get; private set; }
    public int PlatformId { get; private set; }
    public RequestChannel Channel { get; private set; }
    public string Language { get; private set; } = "ko";
    public Guid? RequestedById { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public ContentStatus? Outcome { get; private set; }

    /// <summary>When a re-check first found the link gone after this request (before any later request of the link).</summary>
    public DateTimeOffset? VerifiedGoneAt { get; private set; }

    /// <summary>When the link, removed after this request, was first found online again (before any later request).</summary>
    public DateTimeOffset? ReappearedAt { get; private set; }

    /// <summary>The request got the link taken down: answered "deleted", or verified gone by a re-check.</summary>
    public bool Removed => Outcome == ContentStatus.Deleted || VerifiedGoneAt is not null;

    internal void MarkVerifiedGone(DateTimeOffset at) => VerifiedGoneAt ??= at;

    internal void MarkReappeared(DateTimeOffset at) => ReappearedAt ??= at;

    internal void Resolve(ContentStatus outcome, DateTimeOffset at)
    {
        Outcome = outcome;
        ResolvedAt = at;
    }
}
