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
        new((DbContextOptions<PortalDbContext>)new DbContextOptionsBuilder<PortalDbContext>().UsePortalDatabase(connectionString).UseFieldCipher(cipher).Options);
}
