namespace OnSeoulSafe.Cases.Domain;

/// <summary>A site or service content is posted on, and how to ask it to delete something.</summary>
public sealed class Platform
{
    private Platform() { }

    public Platform(string name, IEnumerable<string> hostPatterns, RequestChannel channel, string? requestAddress, string templateKo, string templateEn)
    {
        Name = name;
        HostPatterns = hostPatterns.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        Channel = channel;
        RequestAddress = requestAddress;
        TemplateKo = templateKo;
        TemplateEn = templateEn;
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

    public bool Matches(string host)
    {
        host = host.ToLowerInvariant().TrimEnd('.');
        return HostPatterns.Any(p => host == p || host.EndsWith("." + p, StringComparison.Ordinal));
    }

    public void Update(string name, IEnumerable<string> hostPatterns, RequestChannel channel, string? requestAddress, string templateKo, string templateEn, bool isActive)
    {
        Name = name;
        HostPatterns = hostPatterns.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
        Channel = channel;
        RequestAddress = requestAddress;
        TemplateKo = templateKo;
        TemplateEn = templateEn;
        IsActive = isActive;
    }
}
