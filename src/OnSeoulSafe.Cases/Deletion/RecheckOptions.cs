namespace OnSeoulSafe.Cases.Deletion;

/// <summary>Settings of the re-check job (<c>Portal:Recheck</c>). The job is off unless <see cref="Enabled"/> is set.</summary>
public sealed class RecheckOptions
{
    public const string Section = "Portal:Recheck";

    public bool Enabled { get; set; }

    /// <summary>How often the job wakes up to put due links on the shared work queue.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Links put on the queue per wake-up at most (2,000 a minute is 2.88 million a day); the queue's workers check
    /// them as each host's turn comes.
    /// </summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>
    /// A host first met by a link check (not a monitoring source's, whose own limits apply to every kind of work):
    /// the pause between two requests to it and the requests at once.
    /// </summary>
    public TimeSpan HostMinimumDelay { get; set; } = TimeSpan.FromSeconds(1);

    public int HostMaxConcurrency { get; set; } = 2;

    /// <summary>How long after its last check a link is due again.</summary>
    public TimeSpan RecheckAfter { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Everything for one link — every redirect hop and the body — within this time.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Reading stops beyond this many bytes; a file larger than this cannot be matched by its hash.</summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    public int MaxRedirects { get; set; } = 3;

    /// <summary>Only for tests and local trials: lets the job reach private and loopback addresses.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Demo runs and tests: reach nothing but 127.0.0.1 and ::1; a named host is refused without asking DNS.</summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>A neutral client name: it must not tell a site that a victim-support centre is looking.</summary>
    public string UserAgent { get; set; } = "Mozilla/5.0 (compatible; LinkCheck/1.0)";
}
