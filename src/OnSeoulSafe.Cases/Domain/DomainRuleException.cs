namespace OnSeoulSafe.Cases.Domain;

/// <summary>A domain rule refused the requested change. The message is safe to show staff (no victim data).</summary>
public sealed class DomainRuleException(string rule, string message) : InvalidOperationException(message)
{
    /// <summary>A stable code pages translate into the reader's language.</summary>
    public string Rule { get; } = rule;
}
