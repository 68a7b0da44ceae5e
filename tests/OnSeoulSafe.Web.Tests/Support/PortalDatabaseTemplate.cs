using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Tests.Infrastructure;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// One database migrated with the real migrations per test process; every test class clones it, which keeps
/// classes isolated and lets them run in parallel.
/// </summary>
public static class PortalDatabaseTemplate
{
    private const string TemplateName = "oss_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _ready;

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
                _ready = true;
                // Connections to a template block CREATE DATABASE ... TEMPLATE.
                Npgsql.NpgsqlConnection.ClearAllPools();
            }
        }
        finally
        {
            Gate.Release();
        }
        var name = $"oss_{purpose.ToLowerInvariant()}_{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
        if (name.Length > 60) name = name[..60];
        await server.CreateDatabaseAsync(name, TemplateName);
        return server.ConnectionStringFor(name);
    }

    public static PortalDbContext NewContext(string connectionString, FieldCipher cipher) =>
        new((DbContextOptions<PortalDbContext>)new DbContextOptionsBuilder<PortalDbContext>().UsePortalDatabase(connectionString).Options, cipher);
}
