namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// The one case file every service works from. Status changes go through methods that refuse
/// transitions the centre's process does not allow.
/// </summary>
public sealed class Case
{
    private Case() { }

    public long Id { get; private set; }

    /// <summary>Public reference such as <c>SDS-7KQ2-M9XD-R</c> (<see cref="CaseReference"/>); never contains anything about the victim.</summary>
    public string Reference { get; private set; } = "";

    public CaseStatus Status { get; private set; }
    public CasePriority Priority { get; private set; }
    public List<CrimeType> CrimeTypes { get; private set; } = [];
    public bool IsMinor { get; private set; }

    public Guid VictimId { get; private set; }
    public Victim Victim { get; private set; } = null!;

    public Guid? AssignedCompanionId { get; private set; }
    public StaffMember? AssignedCompanion { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? TriagedAt { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }
    public DateTimeOffset? FirstContactAt { get; private set; }
    public DateTimeOffset? LastContactAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    public CaseOutcome? Outcome { get; private set; }
    public string? ClosingNote { get; private set; }

    /// <summary>When the identifying content was erased (approved erasure or the retention period); the statistics stay.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }

    /// <summary>
    /// Keyed fingerprint of the intake form's random key: a repeated submit of the same form finds this case instead
    /// of creating another. Never the key itself, from which the access code could be derived again.
    /// </summary>
    public byte[] IntakeFingerprint { get; private set; } = [];

    /// <summary>HMAC of the victim's access code; the code itself is shown once and never stored.</summary>
    public byte[] AccessCodeHash { get; private set; } = [];

    /// <summary>
    /// Carried by every victim session of this case and checked on each of its requests: raising it (the quick exit,
    /// a new code) ends every open session at once, on every device.
    /// </summary>
    public int VictimSessionVersion { get; private set; }

    /// <summary>PostgreSQL xmin: two managers assigning at once cannot both win.</summary>
    public uint Version { get; private set; }

    public RiskScreening Risk { get; private set; } = null!;
    public SafeContact SafeContact { get; private set; } = null!;

    /// <summary>
    /// Keyed hashes of the safe contact's phone number and e-mail address, so staff can find a case by an exact
    /// number or address without decrypting the table. Written by the context whenever the safe contact is saved.
    /// </summary>
    public byte[]? ContactPhoneLookup { get; private set; }

    /// <inheritdoc cref="ContactPhoneLookup"/>
    public byte[]? ContactEmailLookup { get; private set; }

    internal void SetContactLookups(byte[]? phone, byte[]? email)
    {
        ContactPhoneLookup = phone;
        ContactEmailLookup = email;
    }
    public Narrative Narrative { get; private set; } = null!;

    public List<NarrativeAmendment> Amendments { get; private set; } = [];
    public List<Consent> Consents { get; private set; } = [];
    public List<ServiceTrack> Tracks { get; private set; } = [];
    public List<TimelineEvent> Timeline { get; private set; } = [];
    public List<Assignment> Assignments { get; private set; } = [];
    public List<Message> Messages { get; private set; } = [];
    public List<ContentItem> ContentItems { get; private set; } = [];

    /// <summary>Notices queued for the victim or her companion (added here so they are saved with the change that caused them).</summary>
    public List<PersonNotice> PersonNotices { get; private set; } = [];

    /// <summary>A minor's guardians as she described them: named safe (with a contact) or said to be unsafe.</summary>
    public List<Guardian> Guardians { get; private set; } = [];

    /// <summary>
    /// The victim agreed that deletion requests may carry the name they chose (<see cref="Victim.Nickname"/>).
    /// Off unless the victim says so; it only counts while deletion support itself is consented to.
    /// </summary>
    public bool NameInDeletionRequests { get; private set; }

    /// <summary>
    /// The victim allowed every copy monitoring finds to be requested from the platform without waiting for the
    /// companion. Off unless they say so; withdrawable; it only counts while deletion support is consented to.
    /// </summary>
    public bool AutomaticRequests { get; private set; }

    /// <summary>How the report reached the center (the web form, a call, a visit).</summary>
    public IntakeChannel IntakeChannel { get; private set; }

    /// <summary>The staff member who took the report on the caller's behalf; null for the victim's own web report.</summary>
    public Guid? IntakeStaffId { get; private set; }

    public bool IsOpen => IsOpenIn(Status);

    /// <summary>A case in this status is open (neither closed nor withdrawn).</summary>
    public static bool IsOpenIn(CaseStatus status) => status is not (CaseStatus.Closed or CaseStatus.Withdrawn);

    /// <summary>
    /// Opens a case from a victim's report; triage runs at once so urgent cases reach the top of the queue. A report a
    /// staff member took by phone or at the center (<paramref name="takenBy"/>) opens the same way, with its channel
    /// and the staff member on the case and its first timeline event.
    /// </summary>
    public static Case Open(
        long number,
        string reference,
        byte[] intakeFingerprint,
        Victim victim,
        IEnumerable<CrimeType> crimeTypes,
        string narrative,
        DateOnly? happenedOn,
        RiskScreening risk,
        SafeContact safeContact,
        byte[] accessCodeHash,
        DateTimeOffset now,
        StaffIntake? takenBy = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(narrative);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var @case = new Case
        {
            Id = number,
            Reference = reference,
            Status = CaseStatus.New,
            Priority = CasePriority.Normal,
            CrimeTypes = crimeTypes.Distinct().Order().ToList(),
            IsMinor = risk.IsMinor,
            VictimId = victim.Id,
            Victim = victim,
            CreatedAt = now,
            IntakeFingerprint = intakeFingerprint,
            AccessCodeHash = accessCodeHash,
            Risk = risk,
            SafeContact = safeContact,
            Narrative = new Narrative(narrative, happenedOn, now),
            IntakeChannel = takenBy?.Channel ?? IntakeChannel.Web,
            IntakeStaffId = takenBy?.StaffId,
        };
        foreach (var kind in Enum.GetValues<ServiceTrackKind>())
        {
            @case.Tracks.Add(new ServiceTrack(kind, now));
        }
        @case.Record(TimelineEventKind.CaseOpened, now, takenBy?.StaffId, detail: takenBy?.Channel.ToString());
        @case.Triage(now);
        return @case;
    }

    /// <summary>Sets priority from the screening: a minor or any positive risk answer is an emergency.</summary>
    public void Triage(DateTimeOffset now)
    {
        if (Status is not (CaseStatus.New or CaseStatus.Triaged))
        {
            throw new DomainRuleException("case.triage.state", $"A case in status {Status} cannot be triaged.");
        }
        Priority = Risk.IsUrgent ? CasePriority.Emergency
            : CrimeTypes.Contains(CrimeType.ThreatToDistribute) ? CasePriority.High
            : CasePriority.Normal;
        Status = CaseStatus.Triaged;
        TriagedAt = now;
        Record(TimelineEventKind.Triaged, now, staffId: null, detail: Priority.ToString());
    }

    /// <summary>A manager may raise or lower priority after talking to the victim.</summary>
    public void SetPriority(CasePriority priority, Guid staffId, DateTimeOffset now)
    {
        EnsureOpen();
        if (Priority == priority) return;
        Priority = priority;
        Record(TimelineEventKind.Triaged, now, staffId, detail: priority.ToString());
    }

    /// <summary>Shortest reason accepted for breaking the glass (reading or taking a case that is not one's own).</summary>
    public const int BreakTheGlassReasonMin = 10;

    /// <summary>
    /// Assigns or reassigns the case's Support Companion. The file, narrative and history stay as they are; the service
    /// tracks the former companion answered for go to the new one (requires <see cref="Tracks"/> loaded), so the
    /// former companion no longer holds the case through them.
    /// </summary>
    public void AssignTo(StaffMember companion, Guid byStaffId, DateTimeOffset now, string? reason = null)
    {
        EnsureOpen();
        if (!companion.IsActive)
        {
            throw new DomainRuleException("case.assign.inactive", "An inactive staff account cannot take cases.");
        }
        if (AssignedCompanionId == companion.Id)
        {
            throw new DomainRuleException("case.assign.same", "The case is already assigned to this companion.");
        }
        // Taking a case for oneself opens its file without anyone else's decision: a break-the-glass, with its reason.
        if (companion.Id == byStaffId && (reason is null || reason.Trim().Length < BreakTheGlassReasonMin))
        {
            throw new DomainRuleException("case.assign.self", "Assigning a case to oneself needs a reason of at least ten characters.");
        }
        var reassigning = AssignedCompanionId is not null;
        foreach (var open in Assignments.Where(a => a.EndedAt is null))
        {
            open.End(now);
        }
        foreach (var track in Tracks.Where(t => reassigning && t.ResponsibleStaffId == AssignedCompanionId))
        {
            track.HandOver(companion.Id, now);
        }
        Assignments.Add(new Assignment(Id, companion.Id, byStaffId, now, reason));
        AssignedCompanionId = companion.Id;
        AssignedCompanion = companion;
        AssignedAt = now;
        if (Status is CaseStatus.New or CaseStatus.Triaged)
        {
            Status = CaseStatus.Assigned;
            NudgeVictim("status", now);
        }
        Record(reassigning ? TimelineEventKind.Reassigned : TimelineEventKind.Assigned, now, byStaffId);
    }

    /// <summary>
    /// The companion who took the report by phone or at the center keeps the case: they heard the caller, so taking it
    /// needs no reason beyond that. Refused for anyone but the staff member who took it.
    /// </summary>
    public void KeepForIntakeTaker(StaffMember taker, DateTimeOffset now)
    {
        if (IntakeStaffId is null || IntakeStaffId != taker.Id)
        {
            throw new DomainRuleException("case.keep.not-taker", "Only the staff member who took the report may keep the case this way.");
        }
        AssignTo(taker, taker.Id, now, IntakeChannel == IntakeChannel.Phone ? "Took the report by phone" : "Took the report at the center");
    }

    /// <summary>
    /// Sends the case back to the intake queue (its companion leaves, for example): unassigned and triaged again, its
    /// history kept. An Emergency case of a minor never waits unassigned: it goes to a named colleague instead.
    /// </summary>
    public void ReturnToQueue(Guid byStaffId, DateTimeOffset now)
    {
        EnsureOpen();
        if (AssignedCompanionId is null)
        {
            throw new DomainRuleException("case.unassign.none", "The case is not assigned to anyone.");
        }
        if (IsMinor && Priority == CasePriority.Emergency)
        {
            throw new DomainRuleException("case.unassign.emergency-minor", "An Emergency case of a minor goes to a named colleague, never back to the queue.");
        }
        foreach (var open in Assignments.Where(a => a.EndedAt is null))
        {
            open.End(now);
        }
        var leaving = AssignedCompanionId;
        AssignedCompanionId = null;
        AssignedCompanion = null;
        AssignedAt = null;
        Status = CaseStatus.Triaged;
        foreach (var track in Tracks.Where(t => t.ResponsibleStaffId == leaving))
        {
            track.Release(now);
        }
        Record(TimelineEventKind.ReturnedToQueue, now, byStaffId);
    }

    /// <summary>
    /// Every service track <paramref name="leaving"/> answers for on this case goes to <paramref name="to"/>, or to
    /// nobody (the next companion takes it on) when null. Requires <see cref="Tracks"/> loaded.
    /// </summary>
    public void HandOverTracksOf(Guid leaving, StaffMember? to, Guid byStaffId, DateTimeOffset now)
    {
        EnsureOpen();
        if (to is { IsActive: false })
        {
            throw new DomainRuleException("track.handover.inactive", "An inactive staff account cannot take a track.");
        }
        foreach (var track in Tracks.Where(t => t.ResponsibleStaffId == leaving))
        {
            if (to is null) track.Release(now);
            else track.HandOver(to.Id, now);
            Record(TimelineEventKind.TrackStatusChanged, now, byStaffId, track.Kind, "HandedOver");
        }
    }

    /// <summary>Any contact with the victim (call, message, visit) counts; the first one stops the first-contact clock.</summary>
    public void RecordContact(DateTimeOffset at)
    {
        EnsureOpen();
        if (AssignedCompanionId is null)
        {
            throw new DomainRuleException("case.contact.unassigned", "Assign a companion before recording contact.");
        }
        FirstContactAt ??= at;
        if (LastContactAt is null || at > LastContactAt) LastContactAt = at;
        if (Status == CaseStatus.Assigned) Status = CaseStatus.InProgress;
    }

    /// <summary>
    /// Closes the case. With a service track still open the closing note must say why
    /// (for example the victim asked to stop).
    /// </summary>
    public void Close(CaseOutcome outcome, string? note, Guid staffId, DateTimeOffset now)
    {
        if (Status is not (CaseStatus.Assigned or CaseStatus.InProgress))
        {
            throw new DomainRuleException("case.close.state", $"A case in status {Status} cannot be closed.");
        }
        if (Tracks.Any(t => t.IsOpen) && string.IsNullOrWhiteSpace(note))
        {
            throw new DomainRuleException("case.close.open-tracks", "A service track is still open: state the reason for closing.");
        }
        Status = CaseStatus.Closed;
        ClosedAt = now;
        Outcome = outcome;
        ClosingNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        Record(TimelineEventKind.StatusChanged, now, staffId, detail: $"Closed:{outcome}");
        NudgeVictim("status", now);
    }

    /// <summary>A closed case can be reopened when the victim comes back; it returns to its companion.</summary>
    public void Reopen(Guid staffId, DateTimeOffset now)
    {
        if (Status != CaseStatus.Closed)
        {
            throw new DomainRuleException("case.reopen.state", $"A case in status {Status} cannot be reopened.");
        }
        Status = AssignedCompanionId is null ? CaseStatus.Triaged : CaseStatus.InProgress;
        ClosedAt = null;
        Outcome = null;
        Record(TimelineEventKind.StatusChanged, now, staffId, detail: "Reopened");
        NudgeVictim("status", now);
    }

    /// <summary>The victim may withdraw at any time while the case is open.</summary>
    public void Withdraw(DateTimeOffset now)
    {
        EnsureOpen();
        Status = CaseStatus.Withdrawn;
        ClosedAt = now;
        Record(TimelineEventKind.StatusChanged, now, staffId: null, detail: "Withdrawn");
    }

    /// <summary>
    /// Removes everything that could identify the victim from this case and the parts loaded with it (narrative,
    /// amendments, messages, contact details, nickname, links, notes and places), keeping the columns the statistics
    /// count. An open case is withdrawn first: there is nothing left to support. Erasing twice changes nothing.
    /// </summary>
    public void Erase(DateTimeOffset now)
    {
        if (ErasedAt is not null) return;
        if (IsOpen) Withdraw(now);
        Narrative.Erase();
        foreach (var amendment in Amendments) amendment.Erase();
        foreach (var message in Messages) message.Erase();
        foreach (var item in ContentItems) item.Erase();
        foreach (var step in Timeline) step.Erase();
        foreach (var guardian in Guardians) guardian.Erase();
        Victim.Erase();
        SafeContact = SafeContact.Erased(SafeContact);
        SetContactLookups(null, null);
        ClosingNote = null;
        NameInDeletionRequests = false;
        AutomaticRequests = false;
        ErasedAt = now;
        Record(TimelineEventKind.DataErased, now, staffId: null);
    }

    /// <summary>Adds to the narrative without touching what was written before.</summary>
    public NarrativeAmendment Amend(string text, Guid? staffId, DateTimeOffset now)
    {
        EnsureOpen();
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var amendment = new NarrativeAmendment(Id, text, staffId, now);
        Amendments.Add(amendment);
        Record(TimelineEventKind.NarrativeAmended, now, staffId);
        return amendment;
    }

    public void ChangeSafeContact(SafeContact safeContact, DateTimeOffset now)
    {
        EnsureOpen();
        SafeContact = safeContact;
        Record(TimelineEventKind.SafeContactChanged, now, staffId: null);
    }

    /// <summary>The victim allows (or no longer allows) their chosen name in deletion requests sent to platforms.</summary>
    public void SetNameInDeletionRequests(bool allowed, DateTimeOffset now)
    {
        EnsureOpen();
        if (NameInDeletionRequests == allowed) return;
        NameInDeletionRequests = allowed;
        Record(TimelineEventKind.ConsentChanged, now, staffId: null, ServiceTrackKind.Deletion, allowed ? "Given:NameInDeletionRequests" : "Withdrawn:NameInDeletionRequests");
    }

    /// <summary>
    /// The victim allows (or no longer allows) copies found by monitoring to be requested automatically; said aloud to
    /// the staff member <paramref name="verballyTo"/> when given on a call or at the center.
    /// </summary>
    public void SetAutomaticRequests(bool allowed, DateTimeOffset now, Guid? verballyTo = null)
    {
        EnsureOpen();
        if (AutomaticRequests == allowed) return;
        AutomaticRequests = allowed;
        Record(TimelineEventKind.ConsentChanged, now, verballyTo, ServiceTrackKind.Deletion,
            (allowed ? "Given" : "Withdrawn") + (verballyTo is null ? "" : "Verbally") + ":AutomaticRequests");
    }

    /// <summary>
    /// Copies found may be requested without the companion: a minor's always (as the law asks), an adult's when they
    /// allowed it and still consent to deletion support. Requires <see cref="Consents"/> loaded.
    /// </summary>
    public bool AllowsAutomaticRequests => IsMinor || (AutomaticRequests && HasConsent(ServiceTrackKind.Deletion));

    /// <summary>
    /// The name a deletion request may carry: the victim's chosen name, only when they consented to deletion support
    /// and to being named in requests. Requires <see cref="Victim"/> and <see cref="Consents"/> loaded.
    /// </summary>
    public string? NameForDeletionRequests =>
        NameInDeletionRequests && HasConsent(ServiceTrackKind.Deletion) ? Victim?.Nickname : null;

    /// <summary>
    /// Consent per track, optionally per partner institution. Given aloud on a call or at the center, it names the
    /// staff member who heard it (<paramref name="verballyTo"/>), on the consent and on the timeline.
    /// Requires <see cref="Consents"/> loaded.
    /// </summary>
    public void GiveConsent(ServiceTrackKind track, int? partnerInstitutionId, DateTimeOffset now, Guid? verballyTo = null)
    {
        EnsureOpen();
        if (HasConsent(track, partnerInstitutionId, exact: true)) return;
        Consents.Add(new Consent(Id, track, partnerInstitutionId, now, verballyTo));
        Record(TimelineEventKind.ConsentChanged, now, verballyTo, track, verballyTo is null ? $"Given:{track}" : $"GivenVerbally:{track}");
    }

    public void WithdrawConsent(ServiceTrackKind track, int? partnerInstitutionId, DateTimeOffset now)
    {
        var withdrawn = false;
        foreach (var consent in Consents.Where(c => c.Track == track && c.PartnerInstitutionId == partnerInstitutionId && c.IsActive))
        {
            consent.Withdraw(now);
            withdrawn = true;
        }
        if (withdrawn)
        {
            Record(TimelineEventKind.ConsentChanged, now, staffId: null, track, $"Withdrawn:{track}");
        }
    }

    /// <summary>True when the victim has consented to the track in general, or to this partner for it.</summary>
    public bool HasConsent(ServiceTrackKind track, int? partnerInstitutionId = null, bool exact = false) =>
        Consents.Any(c => c.IsActive && c.Track == track &&
            (c.PartnerInstitutionId == partnerInstitutionId || (!exact && c.PartnerInstitutionId is null)));

    /// <summary>
    /// Whether the victim agreed to a service, for telling her the truth about it: a service she never agreed to is
    /// not "in progress", and one she withdrew from is not "not started". Any consent for the track counts, general or
    /// for a partner. Requires <see cref="Consents"/> loaded.
    /// </summary>
    public ConsentState ConsentStateOf(ServiceTrackKind track) =>
        Consents.Any(c => c.Track == track && c.IsActive) ? ConsentState.Given
        : Consents.Any(c => c.Track == track) ? ConsentState.Withdrawn
        : ConsentState.NeverGiven;

    /// <summary>
    /// The file may leave the portal for the police or a court only while the victim consents to investigation or
    /// legal support, and only while there is a file (not after erasure). Requires <see cref="Consents"/> loaded.
    /// </summary>
    public bool MayLeaveThePortal => ErasedAt is null && (HasConsent(ServiceTrackKind.Investigation) || HasConsent(ServiceTrackKind.Legal));

    /// <summary>Refuses, with the reason, when the file may not be given to the police or a court (<see cref="MayLeaveThePortal"/>).</summary>
    public void EnsureMayLeaveThePortal()
    {
        if (ErasedAt is not null)
        {
            throw new DomainRuleException("case-file.erased", "The case's personal data was erased.");
        }
        if (!HasConsent(ServiceTrackKind.Investigation) && !HasConsent(ServiceTrackKind.Legal))
        {
            throw new DomainRuleException("case-file.no-consent", "The victim has not consented to investigation or legal support.");
        }
    }

    /// <summary>
    /// Records on the timeline that the case file left the portal as a document, with that document's SHA-256, so a
    /// copy handed to the police or a court can be recognised later. The document itself is never kept.
    /// </summary>
    public void RecordCaseFileExport(string documentSha256, Guid staffId, DateTimeOffset now)
    {
        EnsureMayLeaveThePortal();
        if (documentSha256 is not { Length: 64 } || !documentSha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("A SHA-256 in hexadecimal is expected.", nameof(documentSha256));
        }
        Record(TimelineEventKind.CaseFileExported, now, staffId, detail: "sha256:" + documentSha256.ToLowerInvariant());
    }

    /// <summary>The victim cancels her pending erasure request; it is recorded on the timeline.</summary>
    public void CancelErasure(ErasureRequest request, DateTimeOffset now)
    {
        if (request.CaseId != Id)
        {
            throw new InvalidOperationException("The erasure request belongs to another case.");
        }
        request.Cancel(now);
        Record(TimelineEventKind.ErasureCancelled, now, staffId: null);
    }

    /// <summary>Refers the victim to a partner. Refused without the victim's consent for that track.</summary>
    public Referral Refer(ServiceTrackKind track, PartnerInstitution partner, Guid staffId, string? note, DateTimeOffset now)
    {
        EnsureOpen();
        if (!HasConsent(track, partner.Id))
        {
            throw new DomainRuleException("referral.no-consent", "The victim has not consented to referrals for this service.");
        }
        var serviceTrack = Track(track);
        if (serviceTrack.Status == TrackStatus.NotStarted) serviceTrack.Start(staffId, now);
        var referral = new Referral(Id, serviceTrack.Id, partner.Id, staffId, note, now);
        serviceTrack.Referrals.Add(referral);
        Record(TimelineEventKind.Referral, now, staffId, track, partner.Name);
        return referral;
    }

    /// <summary>Starts, holds, completes or declines a service track; the change appears on the timeline.</summary>
    public void ChangeTrackStatus(ServiceTrackKind kind, TrackStatus to, Guid staffId, DateTimeOffset now)
    {
        EnsureOpen();
        var serviceTrack = Track(kind);
        if (to == TrackStatus.Active)
        {
            serviceTrack.Start(staffId, now);
        }
        else
        {
            serviceTrack.MoveTo(to, now);
        }
        Record(TimelineEventKind.TrackStatusChanged, now, staffId, kind, to.ToString());
    }

    /// <summary>Hands a track to another staff member; the file stays as it is.</summary>
    public void HandOverTrack(ServiceTrackKind kind, StaffMember to, Guid byStaffId, DateTimeOffset now)
    {
        EnsureOpen();
        if (!to.IsActive)
        {
            throw new DomainRuleException("track.handover.inactive", "An inactive staff account cannot take a track.");
        }
        var serviceTrack = Track(kind);
        if (serviceTrack.ResponsibleStaffId == to.Id)
        {
            throw new DomainRuleException("track.handover.same", "This staff member is already responsible for the track.");
        }
        serviceTrack.HandOver(to.Id, now);
        Record(TimelineEventKind.TrackStatusChanged, now, byStaffId, kind, "HandedOver");
    }

    public ServiceTrack Track(ServiceTrackKind kind) =>
        Tracks.SingleOrDefault(t => t.Kind == kind)
        ?? throw new InvalidOperationException($"Tracks of case {Reference} are not loaded.");

    /// <summary>Logs what a companion did on a track: an accompaniment, appointment, visit, call, hearing or note.</summary>
    public TimelineEvent LogActivity(
        ServiceTrackKind track,
        TimelineEventKind kind,
        Guid staffId,
        DateTimeOffset occurredAt,
        string? place,
        int? durationMinutes,
        string? note,
        DateTimeOffset now)
    {
        EnsureOpen();
        if (kind is not (TimelineEventKind.Accompaniment or TimelineEventKind.Appointment or TimelineEventKind.HomeVisit
            or TimelineEventKind.Call or TimelineEventKind.Hearing or TimelineEventKind.Note))
        {
            throw new DomainRuleException("activity.kind", $"{kind} is not an activity a companion logs.");
        }
        if (durationMinutes is < 0 or > 24 * 60)
        {
            throw new DomainRuleException("activity.duration", "Duration must be between 0 and 24 hours.");
        }
        // Going with the victim or visiting her is support of this case: it cannot predate the report. Times are
        // typed to the minute, so the minute the case opened counts as after it.
        var openedMinute = CreatedAt.AddTicks(-(CreatedAt.Ticks % TimeSpan.TicksPerMinute));
        if (kind is TimelineEventKind.Accompaniment or TimelineEventKind.HomeVisit && occurredAt < openedMinute)
        {
            throw new DomainRuleException("activity.before-case", "An accompaniment or home visit cannot be dated before the case was opened.");
        }
        var serviceTrack = Track(track);
        if (serviceTrack.Status == TrackStatus.NotStarted) serviceTrack.Start(staffId, now);
        var entry = new TimelineEvent(Id, kind, occurredAt, staffId, track, detail: null, place, durationMinutes, note);
        Timeline.Add(entry);
        if ((kind is TimelineEventKind.Accompaniment or TimelineEventKind.HomeVisit or TimelineEventKind.Call) && occurredAt <= now)
        {
            RecordContact(occurredAt);
        }
        return entry;
    }

    public Message PostMessage(MessageSender sender, Guid? staffId, string body, DateTimeOffset now)
    {
        EnsureOpen();
        ArgumentException.ThrowIfNullOrWhiteSpace(body);
        if (sender == MessageSender.Staff && staffId is null)
        {
            throw new ArgumentException("A staff message needs its author.", nameof(staffId));
        }
        var message = new Message(Id, sender, staffId, body, now);
        Messages.Add(message);
        if (sender == MessageSender.Staff)
        {
            RecordContact(now);
            NudgeVictim("message", now);
        }
        return message;
    }

    /// <summary>
    /// Queues a content-free nudge on the channel the victim chose (none for portal messages only). It is sent only in
    /// her safe hours; a nudge still waiting covers the later ones.
    /// </summary>
    private void NudgeVictim(string reason, DateTimeOffset now)
    {
        if (ErasedAt is not null || PersonNotice.VictimNudge(Id, SafeContact.Channel, reason, now) is not { } nudge) return;
        PersonNotices.Add(nudge);
    }

    /// <summary>
    /// A minor names a guardian as safe to contact, with a phone number or e-mail. Refused for an adult, and for a
    /// guardian she said may be the offender or unsafe (only she can take that back, by naming them safe herself).
    /// Requires <see cref="Guardians"/> loaded.
    /// </summary>
    public Guardian NameSafeGuardian(GuardianRelation relation, string contact, DateTimeOffset now)
    {
        EnsureOpen();
        if (!IsMinor) throw new DomainRuleException("guardian.not-minor", "Guardians are recorded only for a minor.");
        ArgumentException.ThrowIfNullOrWhiteSpace(contact);
        var guardian = GuardianOf(relation, now);
        guardian.NameSafe(contact, now);
        Record(TimelineEventKind.SafeContactChanged, now, staffId: null, detail: $"GuardianSafe:{relation}");
        return guardian;
    }

    /// <summary>
    /// A minor says a guardian may be the offender or is not safe: any contact kept for them is removed and they are
    /// never contacted. Requires <see cref="Guardians"/> loaded.
    /// </summary>
    public void MarkGuardianUnsafe(GuardianRelation relation, DateTimeOffset now)
    {
        if (!IsMinor) throw new DomainRuleException("guardian.not-minor", "Guardians are recorded only for a minor.");
        GuardianOf(relation, now).MarkUnsafe(now);
        Record(TimelineEventKind.SafeContactChanged, now, staffId: null, detail: $"GuardianUnsafe:{relation}");
    }

    /// <summary>
    /// The one way to a guardian's contact: refused unless the minor named that guardian as safe, and always for one
    /// she said may be the offender or unsafe. Requires <see cref="Guardians"/> loaded.
    /// </summary>
    public string EnsureMayContactGuardian(GuardianRelation relation)
    {
        var guardian = Guardians.SingleOrDefault(g => g.Relation == relation);
        if (guardian is { MarkedUnsafe: true })
        {
            throw new DomainRuleException("guardian.unsafe", "The minor said this guardian may be the offender or is not safe: never contact them.");
        }
        if (guardian is not { NamedSafe: true, Contact: { } contact } || ErasedAt is not null)
        {
            throw new DomainRuleException("guardian.not-named", "The minor has not named this guardian as safe to contact.");
        }
        return contact;
    }

    private Guardian GuardianOf(GuardianRelation relation, DateTimeOffset now)
    {
        if (Guardians.SingleOrDefault(g => g.Relation == relation) is { } known) return known;
        var guardian = new Guardian(Id, relation, now);
        Guardians.Add(guardian);
        return guardian;
    }

    /// <summary>Records on the timeline that a notice went out: its kind and channel, never its text or address.</summary>
    public void RecordNoticeSent(PersonNotice notice, DateTimeOffset now) =>
        Record(TimelineEventKind.NoticeSent, now, staffId: null, detail: $"{notice.Kind}:{notice.Channel}");

    /// <summary>
    /// A new access code replaces the old one (after a lost code was recovered): the old code stops working and every
    /// session opened with it ends.
    /// </summary>
    public void ReplaceAccessCode(byte[] accessCodeHash)
    {
        ArgumentNullException.ThrowIfNull(accessCodeHash);
        AccessCodeHash = accessCodeHash;
        VictimSessionVersion++;
    }

    public void Record(TimelineEventKind kind, DateTimeOffset at, Guid? staffId, ServiceTrackKind? track = null, string? detail = null) =>
        Timeline.Add(new TimelineEvent(Id, kind, at, staffId, track, detail, place: null, durationMinutes: null, note: null));

    private void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new DomainRuleException("case.not-open", $"The case is {Status}.");
        }
    }
}
