namespace OnSeoulSafe.Cases.Domain;

/// <summary>The person a case is about. Pseudonymous: no legal name is ever asked for.</summary>
public sealed class Victim
{
    private Victim() { }

    public Victim(string? nickname, string preferredLanguage)
    {
        Id = Guid.NewGuid();
        Nickname = string.IsNullOrWhiteSpace(nickname) ? null : nickname.Trim();
        PreferredLanguage = preferredLanguage;
    }

    public Guid Id { get; private set; }

    /// <summary>Optional name the victim chose to be called by. Encrypted at rest.</summary>
    public string? Nickname { get; private set; }

    /// <summary>"ko" or "en".</summary>
    public string PreferredLanguage { get; private set; } = "ko";

    public void Erase() => Nickname = null;
}
