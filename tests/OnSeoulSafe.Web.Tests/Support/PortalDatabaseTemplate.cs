using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Data.Migrations;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Tests.Infrastructure;
using Respawn;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// One database migrated with the real migrations per test process; every test class gets a database of its own, which
/// keeps classes isolated and lets them run in parallel: one a finished class released (<see cref="Release"/>), emptied
/// by Respawn, or else a new copy of the template. Respawn's reset is the faster of the two (figures in the README,
/// from <c>DatabaseResetMeasurement</c>).
/// </summary>
public static class PortalDatabaseTemplate
{
    public const string TemplateName = "oss_template";

    /// <summary>The login role the portal connects as in tests: a member of portal_app, not the owner of the tables.</summary>
    public const string PortalLogin = "oss_portal_web";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly ConcurrentQueue<string> Released = new();
    private static bool _ready;
    private static Respawner? _respawner;

    /// <summary>Rows the migrations themselves write (the starting platforms), as JSON per table, put back after a reset.</summary>
    private static List<(string Table, string Rows, string? Identity)> _migrationRows = [];

    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var server = await PostgresServer.SharedAsync();
        await Gate.WaitAsync();
        try
        {
            if (!_ready)
            {
                await server.DropDatabaseAsync(TemplateName);
                await server.CreateDatabaseAsync(TemplateName);
                await using var db = NewContext(server.ConnectionStringFor(TemplateName), TestSecrets.Cipher);
                await db.Database.MigrateAsync();
                await EnsurePortalLoginAsync(server);
                _migrationRows = await ReadMigrationRowsAsync(server.ConnectionStringFor(TemplateName));
                _ready = true;
                // Connections to a template block CREATE DATABASE ... TEMPLATE.
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
        }
        finally
        {
            Gate.Release();
        }
        if (Released.TryDequeue(out var reused))
        {
            await ResetAsync(reused);
            return reused;
        }
        var name = $"oss_{purpose.ToLowerInvariant()}_{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        if (name.Length > 60) name = name[..60];
        await server.CreateDatabaseAsync(name, TemplateName);
        return server.ConnectionStringFor(name);
    }

    /// <summary>
    /// Hands a database its class has finished with (its portal stopped, nothing connected) to the next class that asks.
    /// Only databases whose schema and migration history the class left as migrated may come back.
    /// </summary>
    public static void Release(string ownerConnectionString)
    {
        // Pooled connections keep session state (prepared statements, LISTEN): none of it may reach the next class.
        using (var owner = new Npgsql.NpgsqlConnection(ownerConnectionString)) Npgsql.NpgsqlConnection.ClearPool(owner);
        using (var portal = new Npgsql.NpgsqlConnection(PortalConnectionString(ownerConnectionString))) Npgsql.NpgsqlConnection.ClearPool(portal);
        Released.Enqueue(ownerConnectionString);
    }

    /// <summary>Every row gone, identities and the case-number sequence started again: what a new copy of the template holds.</summary>
    internal static async Task ResetAsync(string ownerConnectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync();
        await Gate.WaitAsync();
        try
        {
            _respawner ??= await Respawner.CreateAsync(connection, new RespawnerOptions
            {
                DbAdapter = DbAdapter.Postgres,
                SchemasToInclude = ["public"],
                TablesToIgnore = ["__EFMigrationsHistory"],
                WithReseed = true,
            });
        }
        finally
        {
            Gate.Release();
        }
        await _respawner.ResetAsync(connection);
        await using var sequence = new Npgsql.NpgsqlCommand($"ALTER SEQUENCE {PortalDbContext.CaseNumberSequence} RESTART", connection);
        await sequence.ExecuteNonQueryAsync();
        foreach (var (table, rows, identity) in _migrationRows)
        {
            var sql = $"""INSERT INTO "{table}" SELECT * FROM json_populate_recordset(NULL::"{table}", @rows::json);""";
            if (identity is not null) sql += $"""SELECT setval(pg_get_serial_sequence('"{table}"', '{identity}'), (SELECT max("{identity}") FROM "{table}"));""";
            await using var insert = new Npgsql.NpgsqlCommand(sql, connection);
            insert.Parameters.AddWithValue("rows", rows);
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<(string, string, string?)>> ReadMigrationRowsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<(string Table, string? Identity)>();
        await using (var list = new Npgsql.NpgsqlCommand("""
            SELECT t.table_name, (SELECT c.column_name FROM information_schema.columns c
                                  WHERE c.table_schema = 'public' AND c.table_name = t.table_name AND c.is_identity = 'YES' LIMIT 1)
            FROM information_schema.tables t
            WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> '__EFMigrationsHistory'
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }
        var rows = new List<(string, string, string?)>();
        foreach (var (table, identity) in tables)
        {
            await using var read = new Npgsql.NpgsqlCommand($"""SELECT json_agg(t)::text FROM "{table}" t""", connection);
            if (await read.ExecuteScalarAsync() is string json) rows.Add((table, json, identity));
        }
        return rows;
    }

    /// <summary>The same database as <paramref name="ownerConnectionString"/>, as the portal's own login role.</summary>
    public static string PortalConnectionString(string ownerConnectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = PortalLogin, Password = TestSecrets.PortalLoginPassword }.ConnectionString;

    private static async Task EnsurePortalLoginAsync(PostgresServer server)
    {
        // Roles belong to the cluster; the password is this process's, so an external server's leftover role still works.
        var sql = $"""
            DO $login$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PortalLogin}') THEN
                    CREATE ROLE {PortalLogin} LOGIN;
                END IF;
            END
            $login$;
            ALTER ROLE {PortalLogin} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{TestSecrets.PortalLoginPassword}';
            GRANT {AccessControl.PortalRole} TO {PortalLogin};
            """;
        await using var connection = new Npgsql.NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static PortalDbContext NewContext(string connectionString, FieldCipher cipher) =>
        new((DbContextOptions<PortalDbContext>)new DbContextOptionsBuilder<PortalDbContext>().UsePortalDatabase(connectionString).UseFieldCipher(cipher)
            .UseContactLookups(TestSecrets.Fingerprints).Options);
}
