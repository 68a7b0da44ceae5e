using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Ground;

/// <summary>
/// A database made by the hand-written migrations, before the generated baseline, started by the portal: upgraded in
/// place when its history reached the last of them, refused with the reset command when it did not.
/// </summary>
public sealed class HandWrittenHistoryTests
{
    [Fact]
    public async Task A_database_at_the_last_hand_written_migration_is_marked_as_at_the_baseline_and_starts()
    {
        // Arrange: the baseline's schema (the same as the old history's end) under the old history's rows.
        await using var portal = new MigratingPortal(HandWrittenHistory.Migrations);
        await portal.InitializeAsync();

        // Act: start-up migrates as the owner.
        using var client = portal.CreateClient();

        // Assert: the baseline counts as applied, nothing else is pending, and the portal answers.
        var history = await HistoryAsync(portal.ConnectionString);
        await using var db = PortalDatabaseTemplate.NewContext(portal.ConnectionString, TestSecrets.Cipher);
        history.ShouldBe(db.Database.GetMigrations().ToList());
        (await db.Database.GetPendingMigrationsAsync()).ShouldBeEmpty();
        (await client.GetAsync("/health/ready")).IsSuccessStatusCode.ShouldBeTrue();
    }

    [Fact]
    public async Task A_database_stopped_before_the_last_hand_written_migration_is_refused_with_the_reset_command()
    {
        // Arrange
        var partial = HandWrittenHistory.Migrations.Take(3).ToList();
        await using var portal = new MigratingPortal(partial);
        await portal.InitializeAsync();

        // Act
        var refused = Should.Throw<Exception>(() => portal.CreateClient());

        // Assert: the message says why and what to run; the database is left as it was.
        var message = MessagesOf(refused);
        message.ShouldContain(HandWrittenHistory.ResetCommand);
        message.ShouldContain(HandWrittenHistory.LastMigration);
        (await HistoryAsync(portal.ConnectionString)).ShouldBe(partial);
    }

    [Fact]
    public async Task A_database_with_migrations_this_version_does_not_know_is_refused()
    {
        List<string> history = [.. HandWrittenHistory.Migrations, "20261202170000_FromAnotherBranch"];
        await using var portal = new MigratingPortal(history);
        await portal.InitializeAsync();

        var refused = Should.Throw<Exception>(() => portal.CreateClient());

        MessagesOf(refused).ShouldContain("20261202170000_FromAnotherBranch");
        (await HistoryAsync(portal.ConnectionString)).ShouldBe(history);
    }

    private static string MessagesOf(Exception exception)
    {
        var messages = new List<string>();
        for (Exception? e = exception; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" | ", messages);
    }

    private static async Task<List<string>> HistoryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// The portal migrating at start-up on a single-login database (it connects as the owner), on a database whose
    /// history is rewritten to <paramref name="history"/>.
    /// </summary>
    private sealed class MigratingPortal(IReadOnlyList<string> history) : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:MigrateOnStartup"] = "true",
            [$"ConnectionStrings:{OnSeoulSafe.Web.Infrastructure.PortalDatabase.ConnectionStringName}"] = ConnectionString,
        };

        protected override bool ReleasesDatabase => false;

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // The old history ended where the baseline ends: later migrations are not applied yet.
            await using (var db = PortalDatabaseTemplate.NewContext(ConnectionString, TestSecrets.Cipher))
            {
                await db.GetService<IMigrator>().MigrateAsync(db.Database.GetMigrations().First());
            }
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                DELETE FROM "__EFMigrationsHistory";
                INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") SELECT unnest(@ids), '10.0.0';
                """,
                connection);
            command.Parameters.AddWithValue("ids", history.ToArray());
            await command.ExecuteNonQueryAsync();
        }
    }
}
