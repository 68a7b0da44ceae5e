namespace OnSeoulSafe.Cases.Dashboard;

/// <summary>What a dashboard cell counts. Stored as a small number; never renumber an existing member.</summary>
public enum DashboardMeasure : short
{
    /// <summary>Cases by intake month (Key1 unused).</summary>
    CasesOpened = 1,

    /// <summary>Closed or withdrawn cases by closing month (Key1: 0 closed, 1 withdrawn).</summary>
    CasesClosed = 2,

    /// <summary>Open cases by intake month (Key1: status, Key2: priority).</summary>
    OpenCases = 3,

    /// <summary>Contacted cases by intake month (Key1: priority, Key2: bucket of minutes to first contact).</summary>
    FirstContact = 4,

    /// <summary>Active and on-hold service tracks (Key1: kind, Key2: status); no month.</summary>
    OpenTracks = 5,

    /// <summary>Deletion requests by request month (Key1: platform, Key2: 0 unanswered, else outcome + 1).</summary>
    DeletionRequests = 6,

    /// <summary>No longer written (whole days to a "deleted" answer); the number stays taken.</summary>
    DeletionDays = 7,

    /// <summary>No longer written (verified-gone and reappeared steps by step month); the number stays taken.</summary>
    ContentSteps = 8,

    /// <summary>Requests whose link was verified gone, by request month (Key1: platform, Key2: bucket of hours to verified gone).</summary>
    TimeToVerifiedGone = 9,

    /// <summary>Requests that got the link removed, by request month (Key1: platform, Key2: 1 when it reappeared afterwards, else 0).</summary>
    Removals = 10,

    /// <summary>
    /// Open cases whatever their intake month (Key1: status, Key2: priority; Month is NoMonth): what a dashboard
    /// without a date range reads, a few hundred cells where <see cref="OpenCases"/> spreads the same over every month.
    /// </summary>
    OpenCaseload = 11,
}

/// <summary>
/// One signed change to a dashboard cell, written in the same transaction as the change it counts. Intakes only
/// ever insert here, so they never wait on each other's row locks; <see cref="DashboardLedger.CompactAsync"/>
/// folds these rows into <see cref="DashboardTotal"/>. A figure is always totals + remaining deltas, so it is exact.
/// </summary>
public sealed class DashboardTally
{
    // Rows are written by DashboardLedger.WriteAsync with one INSERT; EF Core only reads them.
    private DashboardTally() { }

    public long Id { get; private set; }
    public DashboardMeasure Measure { get; private set; }

    /// <summary>First day of the Korean (KST) month the fact belongs to.</summary>
    public DateOnly Month { get; private set; }

    /// <summary><see cref="Guid.Empty"/> is the cell over all companions (and unassigned cases).</summary>
    public Guid CompanionId { get; private set; }

    /// <summary>-1 is the cell over all crime types; otherwise a <see cref="Domain.CrimeType"/>.</summary>
    public short Crime { get; private set; }

    public bool IsMinor { get; private set; }
    public int Key1 { get; private set; }
    public int Key2 { get; private set; }
    public long N { get; private set; }
}

/// <summary>Compacted counts, one row per cell.</summary>
public sealed class DashboardTotal
{
    private DashboardTotal() { }

    public DashboardMeasure Measure { get; private set; }
    public DateOnly Month { get; private set; }
    public Guid CompanionId { get; private set; }
    public short Crime { get; private set; }
    public bool IsMinor { get; private set; }
    public int Key1 { get; private set; }
    public int Key2 { get; private set; }
    public long N { get; private set; }
}

/// <summary>The address of one counter.</summary>
public readonly record struct DashboardCell(DashboardMeasure Measure, DateOnly Month, Guid CompanionId, short Crime, bool IsMinor, int Key1, int Key2);
