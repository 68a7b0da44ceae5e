namespace OnSeoulSafe.Cases.Domain;

/// <summary>
/// A site, board or feed the center watches: where the crawl starts, how deep it follows links within the same site,
/// how often it comes back, and how hard it may press the site's host (requests at once and per second).
/// Managers add, edit and pause sources; the crawl only reads them.
/// </summary>
public sealed class MonitoringSource
{
    public const int MaxDepthLimit = 5;
    public const int MaxConcurrencyLimit = 8;
    public const double MaxRequestsPerSecondLimit = 10;
    public const double MinRequestsPerSecondLimit = 0.01;
    public static readonly TimeSpan MinInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(30);

    private MonitoringSource() { }

    public MonitoringSource(string name, string startAddress, int? platformId, int maxDepth, TimeSpan interval, int maxConcurrency, double requestsPerSecond, DateTimeOffset now)
    {
        CreatedAt = now;
        Update(name, startAddress, platformId, maxDepth, interval, maxConcurrency, requestsPerSecond);
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>An http(s) address; the crawl stays on its host.</summary>
    public string StartAddress { get; private set; } = "";

    /// <summary>Host and port of <see cref="StartAddress"/>: the politeness limits apply per host.</summary>
    public string HostKey { get; private set; } = "";
    public int? PlatformId { get; private set; }
    public Platform? Platform { get; private set; }

    /// <summary>0: the start page only; 1: the pages it links to on the same site; and so on.</summary>
    public int MaxDepth { get; private set; }
    public TimeSpan Interval { get; private set; }
    public int MaxConcurrency { get; private set; }
    public double RequestsPerSecond { get; private set; }
    public bool IsPaused { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? LastCrawlStartedAt { get; private set; }

    public void Update(string name, string startAddress, int? platformId, int maxDepth, TimeSpan interval, int maxConcurrency, double requestsPerSecond)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100) throw new DomainRuleException("source.name", "A source needs a name of at most 100 characters.");
        var host = HostKeyOf(startAddress) ?? throw new DomainRuleException("source.address", "A source starts at an http or https address.");
        if (maxDepth is < 0 or > MaxDepthLimit) throw new DomainRuleException("source.depth", $"Depth is between 0 and {MaxDepthLimit}.");
        if (interval < MinInterval || interval > MaxInterval) throw new DomainRuleException("source.interval", "The interval is between 5 minutes and 30 days.");
        if (maxConcurrency is < 1 or > MaxConcurrencyLimit) throw new DomainRuleException("source.concurrency", $"Requests at once are between 1 and {MaxConcurrencyLimit}.");
        if (double.IsNaN(requestsPerSecond) || requestsPerSecond < MinRequestsPerSecondLimit || requestsPerSecond > MaxRequestsPerSecondLimit)
        {
            throw new DomainRuleException("source.rate", $"Requests per second are between {MinRequestsPerSecondLimit} and {MaxRequestsPerSecondLimit}.");
        }
        Name = name.Trim();
        StartAddress = startAddress.Trim();
        HostKey = host;
        PlatformId = platformId;
        MaxDepth = maxDepth;
        Interval = interval;
        MaxConcurrency = maxConcurrency;
        RequestsPerSecond = requestsPerSecond;
    }

    public void Pause() => IsPaused = true;

    public void Resume() => IsPaused = false;

    /// <summary>Due when never crawled or its interval has passed since the last crawl began; never while paused.</summary>
    public bool IsDue(DateTimeOffset now) => !IsPaused && (LastCrawlStartedAt is null || LastCrawlStartedAt.Value + Interval <= now);

    public void CrawlStarted(DateTimeOffset now) => LastCrawlStartedAt = now;

    /// <summary>The pause between two requests to the host that this source's rate allows.</summary>
    public TimeSpan MinimumDelay => TimeSpan.FromSeconds(1 / RequestsPerSecond);

    /// <summary><c>host:port</c> of an absolute http(s) address, lower case; null for anything else.</summary>
    public static string? HostKeyOf(string? address) =>
        Uri.TryCreate(address?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.UserInfo) && uri.Host.Length > 0 && address!.Trim().Length <= 2000
            ? $"{uri.IdnHost.ToLowerInvariant()}:{uri.Port}"
            : null;
}
