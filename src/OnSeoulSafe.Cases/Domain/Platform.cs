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
