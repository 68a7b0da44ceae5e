namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// The database grants that make the access log append-only for the portal's role (<c>portal_app</c>); the SQL lives in
/// AccessControl.sql next to this file and runs at the end of the migration.
/// </summary>
public static class AccessControl
{
    /// <summary>The group role the portal's login role must be a member of.</summary>
    public const string PortalRole = "portal_app";

    public static string Sql { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(AccessControl).Assembly.GetManifestResourceStream("OnSeoulSafe.Cases.AccessControl.sql")
            ?? throw new InvalidOperationException("The embedded AccessControl.sql is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
