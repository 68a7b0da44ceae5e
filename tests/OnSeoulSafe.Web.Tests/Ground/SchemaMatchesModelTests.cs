using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Web.Tests.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>
/// <c>dotnet ef migrations has-pending-model-changes</c> (in <c>./build.sh test</c>) compares the model with the snapshot
/// only; this proves the migrations themselves, edited SQL included, build exactly the schema the model describes: the
/// migrated database is compared with one the model creates directly.
/// </summary>
public sealed class SchemaMatchesModelTests
{
    [Fact]
    public async Task Migrated_schema_equals_the_schema_built_from_the_model()
    {
        // Arrange
        var migrated = await PortalDatabaseTemplate.CreateDatabaseAsync("schema_migrated");
        var server = await PostgresServer.SharedAsync();
        var modelName = "oss_schema_model_" + Guid.NewGuid().ToString("N")[..8];
        await server.CreateDatabaseAsync(modelName);
        var fromModel = server.ConnectionStringFor(modelName);
        await using (var db = PortalDatabaseTemplate.NewContext(fromModel, TestSecrets.Cipher))
        {
            await db.Database.EnsureCreatedAsync();
        }

        // Act
        var migratedSchema = await DescribeAsync(migrated);
        var modelSchema = await DescribeAsync(fromModel);

        // Assert
        migratedSchema.Count.ShouldBeGreaterThan(100);
        migratedSchema.Except(modelSchema).ShouldBeEmpty("in the migrations but not in the model");
        modelSchema.Except(migratedSchema).ShouldBeEmpty("in the model but not in the migrations");
    }

    [Fact]
    public async Task Every_entity_of_the_model_has_its_table_after_migration()
    {
        var migrated = await PortalDatabaseTemplate.CreateDatabaseAsync("schema_tables");
        await using var db = PortalDatabaseTemplate.NewContext(migrated, TestSecrets.Cipher);
        var tables = (await DescribeAsync(migrated)).Where(l => l.StartsWith("column ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1].Split('.')[0]).ToHashSet();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            tables.ShouldContain(entity.GetTableName()!);
        }
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
    }

    /// <summary>Tables, columns (type, nullability, default), indexes, constraints and sequences, one line each.</summary>
    private static async Task<HashSet<string>> DescribeAsync(string connectionString)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(character_maximum_length::text, '') || ' ' || is_nullable || ' ' || coalesce(column_default, '') || ' ' || is_identity
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"__EFMigrationsHistory"'
            UNION ALL
            SELECT 'sequence ' || sequence_name || ' ' || data_type || ' ' || start_value || ' ' || increment
              FROM information_schema.sequences WHERE sequence_schema = 'public'
            """;
        var lines = new HashSet<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(reader.GetString(0));
        return lines;
    }
}
