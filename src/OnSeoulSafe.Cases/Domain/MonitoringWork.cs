namespace OnSeoulSafe.Cases.Domain;

/// <summary>What a unit of monitoring work does with its address.</summary>
public enum MonitoringWorkKind { Page, Media, LinkCheck }

/// <summary>
/// One address waiting in the monitoring work queue (PostgreSQL). A worker leases it (<see cref="LeasedUntil"/>,
/// <see cref="LeaseToken"/>); only the holder of the token may complete or fail it; a lease that runs out (a crashed
/// worker) is taken again; after too many attempts it is parked (<see cref="DeadAt"/>) and stays visible.
/// Written and read through <c>Monitoring.WorkQueue</c>, never tracked by pages.
/// </summary>
public sealed class MonitoringWork
{
    private MonitoringWork() { }

    public long Id { get; private set; }
    public MonitoringWorkKind Kind { get; private set; }

    /// <summary>A public page or file address the crawl met (never a victim's own text).</summary>
    public string Address { get; private set; } = "";
    public string HostKey { get; private set; } = "";
    public int? SourceId { get; private set; }
    public int Depth { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NotBefore { get; private set; }
    public DateTimeOffset? LeasedUntil { get; private set; }
    public Guid? LeaseToken { get; private set; }
    public DateTimeOffset? DeadAt { get; private set; }

    /// <summary>A short machine word for the last failure (such as <c>timeout</c>), never an exception message.</summary>
    public string? LastError { get; private set; }
}

/// <summary>
/// A host the monitoring work queue spreads its work over: a worker takes work from the host whose turn it is
/// (<see cref="NextAllowedAt"/>) and never has more than <see cref="MaxConcurrency"/> leases out for it at once.
/// </summary>
public sealed class MonitoredHost
{
    private MonitoredHost() { }

    public string HostKey { get; private set; } = "";
    public DateTimeOffset NextAllowedAt { get; private set; }
    public TimeSpan MinimumDelay { get; private set; }
    public int MaxConcurrency { get; private set; }
}
