namespace OnSeoulSafe.Cases.Domain;

public static class StaffRoles
{
    public const string Companion = "Companion";
    public const string Manager = "Manager";
    public const string Monitor = "Monitor";
    public const string Auditor = "Auditor";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Companion, Manager, Monitor, Auditor, Admin];

    /// <summary>Roles that open case files (assigned cases, break-the-glass).</summary>
    public static readonly IReadOnlyList<string> ReadCases = [Companion, Manager];

    /// <summary>
    /// Separation of duties: whoever reads case files is not the one who audits those reads, so an account holds
    /// either a role that reads cases or the Auditor role, never both.
    /// </summary>
    public static bool KeepDutiesApart(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return !(set.Contains(Auditor) && ReadCases.Any(set.Contains));
    }

    /// <summary>
    /// Refuses a change of an account's roles that nobody may make: one's own roles (a grant needs a second person),
    /// or a set of roles that reads cases and audits them at once.
    /// </summary>
    public static void EnsureMayChange(Guid actorId, Guid accountId, IEnumerable<string> current, IEnumerable<string> wanted)
    {
        var wantedSet = wanted.ToHashSet(StringComparer.Ordinal);
        if (actorId == accountId && !wantedSet.SetEquals(current))
        {
            throw new DomainRuleException("staff.roles.self", "Nobody changes their own roles.");
        }
        if (!KeepDutiesApart(wantedSet))
        {
            throw new DomainRuleException("staff.roles.duties", "An account that reads cases cannot also audit them.");
        }
    }
}
