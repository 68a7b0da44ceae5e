namespace OnSeoulSafe.Cases.Deletion;

/// <summary>Settings of the re-check job (<c>Portal:Recheck</c>). The job is off unless <see cref="Enabled"/> is set.</summary>
public sealed class RecheckOptions
{
    public const string Section = "Portal:Recheck";

    public bool Enabled { get; set; }

    /// <summary>How often the job wakes up to check a batch.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Links checked per wake-up.</summary>
    public int BatchSize { get; set; } = 50;

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
