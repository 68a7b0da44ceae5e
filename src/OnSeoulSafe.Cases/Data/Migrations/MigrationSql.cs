namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// SQL that EF Core does not model, kept in <c>.sql</c> files beside the migrations (embedded in the assembly) so that a
/// regenerated migration gets it back with one line: <c>migrationBuilder.Sql(MigrationSql.HashBankNotify)</c>.
/// </summary>
public static class MigrationSql
{
    /// <summary>The hash bank's trigger: every insert and delete is announced on channel <c>hash_bank</c>.</summary>
    public static string HashBankNotify { get; } = Read("HashBankNotify.sql");

    internal static string Read(string file)
    {
        using var stream = typeof(MigrationSql).Assembly.GetManifestResourceStream("OnSeoulSafe.Cases." + file)
            ?? throw new InvalidOperationException($"The embedded {file} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
