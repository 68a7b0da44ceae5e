namespace OnSeoulSafe.Cases.Domain;

/// <summary>A site or service content is posted on, and how to ask it to delete something.</summary>
public sealed class Platform
{
    private Platform() { }

    public Platform(string name, IEnumerable<string> hostPatterns, RequestChannel channel, string? requestAddress, string templateKo, string templateEn, string? removedPageMarker = null)
    {
        Name = name;
        HostPatterns = hostPatterns.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        Channel = channel;
        RequestAddress = requestAddress;
        TemplateKo = templateKo;
        TemplateEn = templateEn;
        RemovedPageMarker = string.IsNullOrWhiteSpace(removedPageMarker) ? null : removedPageMarker.Trim();
        IsActive = true;
    }

    public int Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>Hosts such as <c>example.com</c> (matches the host and its subdomains).</summary>
    public List<string> HostPatterns { get; private set; } = [];
    public RequestChannel Channel { get; private set; }
    public string? RequestAddress { get; private set; }
    public string TemplateKo { get; private set; } = "";
    public string TemplateEn { get; private set; } = "";
    public bool IsActive { get; private set; }

    /// <summary>
    /// Text the platform shows on a page whose content was removed while still answering 200 (for example
    /// "This video has been removed"); the re-check job counts such a page as gone.
    /// </summary>
    public string? RemovedPageMarker { get; private set; }

    /// <summary>How the portal delivers this platform's notices; <see cref="NoticeDelivery.ByHand"/> (the default): a person sends the text.</summary>
    public NoticeDelivery NoticeDelivery { get; private set; }

    /// <summary>The e-mail address or HTTP endpoint notices go to (the portal's own channel, apart from the report address people use).</summary>
    public string? NoticeAddress { get; private set; }
    public NoticeBodyFormat NoticeBodyFormat { get; private set; }

    /// <summary>
    /// The body sent to an HTTP endpoint, with <c>{reference}</c>, <c>{addresses}</c>, <c>{text}</c>, <c>{platform}</c>, <c>{date}</c> and
    /// <c>{notice}</c> (escaped for JSON or a form); null: the endpoint gets <c>reference</c>, <c>addresses</c> and <c>text</c>.
    /// </summary>
    public string? NoticeBodyTemplate { get; private set; }

    /// <summary>The language of the portal's notices to this platform: <c>ko</c> or <c>en</c>.</summary>
    public string NoticeLanguage { get; private set; } = "ko";

    /// <summary>The least time between two notices to this platform (its rate).</summary>
    public TimeSpan NoticeInterval { get; private set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long the platform has to remove content after the verified time of a notice before the next step of the ladder.</summary>
    public TimeSpan RemovalDeadline { get; private set; } = DefaultRemovalDeadline;

    /// <summary>When this platform's next notice may go (kept by the outbox, per its <see cref="NoticeInterval"/>).</summary>
    public DateTimeOffset? NextNoticeAt { get; private set; }

    public static readonly TimeSpan DefaultRemovalDeadline = TimeSpan.FromHours(24);

    /// <summary>The portal sends this platform's notices itself.</summary>
    public bool SendsNotices => IsActive && NoticeDelivery != NoticeDelivery.ByHand && !string.IsNullOrWhiteSpace(NoticeAddress);

    /// <summary>Sets how notices reach the platform; refuses a channel without an address, a language other than ko/en, or a rate or deadline out of range.</summary>
    public void ConfigureNotices(NoticeDelivery delivery, string? address, NoticeBodyFormat format, string? bodyTemplate, string language, TimeSpan interval, TimeSpan deadline)
    {
        if (delivery != NoticeDelivery.ByHand && string.IsNullOrWhiteSpace(address))
        {
            throw new DomainRuleException("platform.notice-address", "A platform the portal sends notices to needs an address.");
        }
        if (delivery == NoticeDelivery.HttpEndpoint && !(Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new DomainRuleException("platform.notice-endpoint", "A notice endpoint is a web address.");
        }
        if (language is not ("ko" or "en")) throw new DomainRuleException("platform.notice-language", "Notices are written in Korean or English.");
        if (interval < TimeSpan.Zero || interval > TimeSpan.FromDays(1)) throw new DomainRuleException("platform.notice-rate", "The time between notices is between none and one day.");
        if (deadline < TimeSpan.FromHours(1) || deadline > TimeSpan.FromDays(30)) throw new DomainRuleException("platform.deadline", "The deadline is between one hour and thirty days.");
        NoticeDelivery = delivery;
        NoticeAddress = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        NoticeBodyFormat = format;
        NoticeBodyTemplate = string.IsNullOrWhiteSpace(bodyTemplate) ? null : bodyTemplate;
        NoticeLanguage = language;
        NoticeInterval = interval;
        RemovalDeadline = deadline;
    }

    public bool Matches(string host) => MatchLength(host) > 0;

    /// <summary>Length of the longest pattern matching <paramref name="host"/> (0 when none): the most specific platform wins.</summary>
    public int MatchLength(string host)
    {
        host = host.ToLowerInvariant().TrimEnd('.');
        return HostPatterns.Where(p => host == p || host.EndsWith("." + p, StringComparison.Ordinal)).Select(p => p.Length).DefaultIfEmpty(0).Max();
    }

    public void Update(string name, IEnumerable<string> hostPatterns, RequestChannel channel, string? requestAddress, string templateKo, string templateEn, string? removedPageMarker, bool isActive)
    {
        Name = name;
        HostPatterns = hostPatterns.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        Channel = channel;
        RequestAddress = requestAddress;
        TemplateKo = templateKo;
        TemplateEn = templateEn;
        RemovedPageMarker = string.IsNullOrWhiteSpace(removedPageMarker) ? null : removedPageMarker.Trim();
        IsActive = isActive;
    }
}
