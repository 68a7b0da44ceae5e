namespace OnSeoulSafe.Cases.Domain;

public static class StaffRoles
{
    public const string Companion = "Companion";
    public const string Manager = "Manager";
    public const string Monitor = "Monitor";
    public const string Auditor = "Auditor";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Companion, Manager, Monitor, Auditor, Admin];
}
