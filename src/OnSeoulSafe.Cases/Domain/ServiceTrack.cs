namespace OnSeoulSafe.Cases.Domain;

/// <summary>One service the centre provides on a case, with its own status and responsible staff member.</summary>
public sealed class ServiceTrack
{
    private ServiceTrack() { }

    internal ServiceTrack(ServiceTrackKind kind, DateTimeOffset now)
    {
        Kind = kind;
        Status = TrackStatus.NotStarted;
        UpdatedAt = now;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public ServiceTrackKind Kind { get; private set; }
    public TrackStatus Status { get; private set; }
    public Guid? ResponsibleStaffId { get; private set; }
    public StaffMember? ResponsibleStaff { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public List<Referral> Referrals { get; private set; } = [];

    public bool IsOpen => Status is TrackStatus.Active or TrackStatus.OnHold;

    private static readonly Dictionary<TrackStatus, TrackStatus[]> Allowed = new()
    {
        [TrackStatus.NotStarted] = [TrackStatus.Active, TrackStatus.Declined],
        [TrackStatus.Active] = [TrackStatus.OnHold, TrackStatus.Completed, TrackStatus.Declined],
        [TrackStatus.OnHold] = [TrackStatus.Active, TrackStatus.Completed, TrackStatus.Declined],
        [TrackStatus.Completed] = [TrackStatus.Active],
        [TrackStatus.Declined] = [TrackStatus.Active],
    };

    public static bool CanMove(TrackStatus from, TrackStatus to) => Allowed[from].Contains(to);

    public void Start(Guid responsibleStaffId, DateTimeOffset now)
    {
        MoveTo(TrackStatus.Active, now);
        ResponsibleStaffId ??= responsibleStaffId;
        StartedAt ??= now;
    }

    public void MoveTo(TrackStatus to, DateTimeOffset now)
    {
        if (!CanMove(Status, to))
        {
            throw new DomainRuleException("track.transition", $"A {Kind} track cannot move from {Status} to {to}.");
        }
        Status = to;
        UpdatedAt = now;
        CompletedAt = to == TrackStatus.Completed ? now : null;
    }

    public void HandOver(Guid responsibleStaffId, DateTimeOffset now)
    {
        ResponsibleStaffId = responsibleStaffId;
        UpdatedAt = now;
    }

    /// <summary>Nobody answers for the track until someone takes it on again (its holder left the centre).</summary>
    public void Release(DateTimeOffset now)
    {
        ResponsibleStaffId = null;
        UpdatedAt = now;
    }
}
