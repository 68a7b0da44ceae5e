namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>Settings of monitoring (<c>Portal:Monitoring</c>). Nothing is fetched unless <see cref="Enabled"/> is set.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Portal:Monitoring";

    public bool Enabled { get; set; }

    /// <summary>
    /// Units of work (crawl and link checks) done at once by this process, leased in batches from the hosts whose turn
    /// it is. Mostly waiting on the network: a link check takes a few milliseconds of processor.
    /// </summary>
    public int Workers { get; set; } = 4;

    /// <summary>How often an idle worker looks for due sources and work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);
    public int MaxAttempts { get; set; } = 5;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Everything for one address — every redirect hop and the body — within this time.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A page larger than this is not parsed (recorded as too large).</summary>
    public long MaxPageBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>A picture or video larger than this is not hashed (recorded as too large).</summary>
    public long MaxMediaBytes { get; set; } = 16 * 1024 * 1024;

    public int MaxRedirects { get; set; } = 3;

    /// <summary>Links and media taken from one page at most; the rest are ignored.</summary>
    public int MaxLinksPerPage { get; set; } = 200;

    /// <summary>
    /// A copy further than this from the victim's hash waits for the companion even when it could be requested at once
    /// (a center may be stricter than the match threshold; never looser than 31).
    /// </summary>
    public int AutomaticMaxDistance { get; set; } = 31;

    /// <summary>The language of requests monitoring makes by itself (<c>ko</c> or <c>en</c>).</summary>
    public string RequestLanguage { get; set; } = "ko";

    /// <summary>Wall-clock time to hash one video; longer ones keep only their SHA-256.</summary>
    public TimeSpan MaxVideoHashTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Frames (one a second) hashed of one video at most.</summary>
    public int MaxVideoFrames { get; set; } = 600;

    /// <summary>Only for tests and local trials: lets the crawl reach private and loopback addresses.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Demo runs (<c>./build.sh run</c>): the crawl reaches nothing but loopback, whatever sources say.</summary>
    public bool LoopbackOnly { get; set; }

    /// <summary>A neutral client name: it must not tell a site that a victim-support centre is looking.</summary>
    public string UserAgent { get; set; } = "Mozilla/5.0 (compatible; LinkCheck/1.0)";

    public QueueSettings Queue => new(LeaseDuration, MaxAttempts, RetryBaseDelay, RetryMaxDelay);
}
