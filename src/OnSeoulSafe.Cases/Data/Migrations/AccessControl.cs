namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// The database grants that make the access log append-only for the portal's role (<c>portal_app</c>); the SQL lives in
/// AccessControl.sql next to this file and runs at the end of the baseline migration.
/// </summary>
public static class AccessControl
{
    /// <summary>The group role the portal's login role must be a member of.</summary>
    public const string PortalRole = "portal_app";

    public static string Sql { get; } = MigrationSql.Read("AccessControl.sql");
}
