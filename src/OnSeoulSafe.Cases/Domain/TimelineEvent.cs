namespace OnSeoulSafe.Cases.Domain;

/// <summary>Something that happened on a case, across all tracks. Appointments are events with a future time.</summary>
public sealed class TimelineEvent
{
    private TimelineEvent() { }

    internal TimelineEvent(
        long caseId,
        TimelineEventKind kind,
        DateTimeOffset occurredAt,
        Guid? staffId,
        ServiceTrackKind? track,
        string? detail,
        string? place,
        int? durationMinutes,
        string? note)
    {
        CaseId = caseId;
        Kind = kind;
        OccurredAt = occurredAt;
        StaffId = staffId;
        Track = track;
        Detail = detail;
        Place = place;
        DurationMinutes = durationMinutes;
        Note = note;
    }

    /// <summary>
    /// The kinds a companion can plan with the victim (an appointment, an accompaniment to the police, court or
    /// hospital, a home visit, a call, a court hearing): with a future time, each is on the victim's schedule and on
    /// the companion's agenda.
    /// </summary>
    public static readonly TimelineEventKind[] WithTheVictim =
        [TimelineEventKind.Appointment, TimelineEventKind.Accompaniment, TimelineEventKind.HomeVisit, TimelineEventKind.Call, TimelineEventKind.Hearing];

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public TimelineEventKind Kind { get; private set; }
    public ServiceTrackKind? Track { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public Guid? StaffId { get; private set; }

    /// <summary>Machine-readable detail (a status name, a partner's name); never victim data.</summary>
    public string? Detail { get; private set; }

    /// <summary>Where (police station, court, hospital). Encrypted at rest: it can locate the victim.</summary>
    public string? Place { get; private set; }
    public int? DurationMinutes { get; private set; }

    /// <summary>The companion's note. Encrypted at rest.</summary>
    public string? Note { get; private set; }

    public void Erase()
    {
        Place = null;
        Note = null;
    }
}
