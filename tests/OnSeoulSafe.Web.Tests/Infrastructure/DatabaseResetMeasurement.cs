using System.Diagnostics;
using Npgsql;
using OnSeoulSafe.Cases.Data.Migrations;
using OnSeoulSafe.Web.Tests.Support;
using Respawn;
using Xunit.Abstractions;

namespace OnSeoulSafe.Web.Tests.Infrastructure;

/// <summary>
/// The ways to give a test class a clean database, side by side on the same server: a copy of the migrated template
/// (<c>CREATE DATABASE ... TEMPLATE</c>), file by file and through the write-ahead log (PostgreSQL's default), and Respawn
/// emptying a database a class has used, which <see cref="PortalDatabaseTemplate"/> does since it measured fastest. Both must leave an empty, migrated database; the medians go to the
/// test output (the README's figures come from it).
/// </summary>
public sealed class DatabaseResetMeasurement(ITestOutputHelper output)
{
    private const int Resets = 15;

    [Fact]
    public async Task Template_copy_and_Respawn_each_leave_an_empty_migrated_database()
    {
        // Arrange
        var server = await PostgresServer.SharedAsync();
        var copies = new List<double>();
        var walCopies = new List<double>();
        var respawns = new List<double>();
        var used = await PortalDatabaseTemplate.CreateDatabaseAsync("reset_respawn");
        await using var connection = new NpgsqlConnection(used);
        await connection.OpenAsync();
        var respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            TablesToIgnore = ["__EFMigrationsHistory"],
        });

        for (var i = 0; i < Resets; i++)
        {
            // Act: a copy of the template, timed as the test classes pay it (the old database is dropped untimed).
            var copy = $"oss_reset_copy_{i}_{Guid.NewGuid():N}"[..30];
            var clock = Stopwatch.StartNew();
            await server.CreateDatabaseAsync(copy, PortalDatabaseTemplate.TemplateName);
            copies.Add(clock.Elapsed.TotalMilliseconds);
            await AssertEmptyAndMigratedAsync(server.ConnectionStringFor(copy));
            await server.DropDatabaseAsync(copy);

            // Act: the same copy through the write-ahead log.
            var walCopy = $"oss_reset_wal_{i}_{Guid.NewGuid():N}"[..30];
            await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
            {
                await admin.OpenAsync();
                clock.Restart();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {walCopy} TEMPLATE {PortalDatabaseTemplate.TemplateName} STRATEGY WAL_LOG", admin);
                await create.ExecuteNonQueryAsync();
                walCopies.Add(clock.Elapsed.TotalMilliseconds);
            }
            await AssertEmptyAndMigratedAsync(server.ConnectionStringFor(walCopy));
            await server.DropDatabaseAsync(walCopy);

            // Act: Respawn on a database a test has written to.
            await DirtyAsync(connection);
            clock.Restart();
            await respawner.ResetAsync(connection);
            respawns.Add(clock.Elapsed.TotalMilliseconds);
            await AssertEmptyAndMigratedAsync(used);
        }

        // Assert (above, after every reset) and report.
        output.WriteLine($"Database reset, median of {Resets}: template copy file by file {Median(copies):F1} ms, through the WAL " +
            $"{Median(walCopies):F1} ms, Respawn {Median(respawns):F1} ms " +
            $"(on {server.Source})");
    }

    [Fact]
    public async Task A_released_database_is_handed_on_as_a_new_copy_would_be()
    {
        // Arrange: a class's database with rows, identities and case numbers used.
        var used = await PortalDatabaseTemplate.CreateDatabaseAsync("reset_reuse");
        await using (var connection = new NpgsqlConnection(used))
        {
            await connection.OpenAsync();
            await DirtyAsync(connection);
            await using var draw = new NpgsqlCommand("SELECT nextval('case_numbers'), nextval('case_numbers')", connection);
            await draw.ExecuteNonQueryAsync();
        }

        // Act
        await PortalDatabaseTemplate.ResetAsync(used);
        // The rows the migrations write (the starting platforms) are back, as in a new copy of the template.
        (await CountPlatformsAsync(used)).ShouldBe(StartingPlatforms.Platforms.Length);

        // Assert: no rows, and numbering starts again.
        await AssertEmptyAndMigratedAsync(used);
        await using var check = new NpgsqlConnection(used);
        await check.OpenAsync();
        await DirtyAsync(check);
        await using var numbers = new NpgsqlCommand("""SELECT nextval('case_numbers') * 1000 + (SELECT min("Id") FROM "Platforms")""", check);
        ((long)(await numbers.ExecuteScalarAsync())!).ShouldBe(1001);
    }

    private static async Task DirtyAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO "Platforms" ("Name", "HostPatterns", "Channel", "TemplateKo", "TemplateEn", "IsActive", "NoticeDelivery",
                                     "NoticeBodyFormat", "NoticeLanguage", "NoticeInterval", "RemovalDeadline")
                VALUES ('reset-' || gen_random_uuid(), '{example.org}', 'Email', '', '', true, 'ByHand', 'Json', 'ko', interval '1 minute', interval '24 hours');
            INSERT INTO "PartnerInstitutions" ("Name", "Track", "IsActive") VALUES ('reset-' || gen_random_uuid(), 'Legal', true);
            INSERT INTO "AccessLog" ("At", "ActorRole", "Action", "What") SELECT now(), 'Companion', 'Read', 'reset' FROM generate_series(1, 50);
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountPlatformsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT count(*) FROM "Platforms" """, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task AssertEmptyAndMigratedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM "Platforms" WHERE "Name" LIKE 'reset-%') + (SELECT count(*) FROM "PartnerInstitutions") + (SELECT count(*) FROM "AccessLog"),
                   (SELECT count(*) FROM "__EFMigrationsHistory")
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        reader.GetInt64(0).ShouldBe(0);
        reader.GetInt64(1).ShouldBeGreaterThan(0);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
