using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

public sealed class AppendOnlyAccessLogTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string PermissionDenied = "42501";

    private async Task<PostgresException?> AsPortalAsync(string sql)
    {
        var portalConnection = PortalDatabase.ConnectionString(portal.Services.GetRequiredService<IConfiguration>());
        await using var connection = new NpgsqlConnection(portalConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task The_portal_runs_as_a_role_that_neither_owns_the_tables_nor_is_superuser()
    {
        var (user, superuser) = await portal.WithDbAsync(async db =>
            (await db.Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync(),
             await db.Database.SqlQueryRaw<bool>("SELECT rolsuper AS \"Value\" FROM pg_roles WHERE rolname = current_user").SingleAsync()));

        user.ShouldBe(PortalDatabaseTemplate.PortalLogin);
        superuser.ShouldBeFalse();
    }

    [Fact]
    public async Task The_portal_role_may_add_and_read_access_log_rows_but_not_change_or_delete_them()
    {
        var id = (await portal.WriteEntriesAsync(1)).Single();
        await portal.SealAsync();

        (await AsPortalAsync($"""SELECT * FROM "AccessLog" WHERE "Id" = {id}""")).ShouldBeNull();
        (await AsPortalAsync("""INSERT INTO "AccessLog" ("At", "ActorRole", "Action", "What") VALUES (now(), 'Companion', 'View', 'Cases/File')""")).ShouldBeNull();
        (await AsPortalAsync($"""UPDATE "AccessLog" SET "What" = 'nothing' WHERE "Id" = {id}""")).ShouldNotBeNull().SqlState.ShouldBe(PermissionDenied);
        (await AsPortalAsync($"""DELETE FROM "AccessLog" WHERE "Id" = {id}""")).ShouldNotBeNull().SqlState.ShouldBe(PermissionDenied);
        (await AsPortalAsync("""TRUNCATE "AccessLog" """)).ShouldNotBeNull().SqlState.ShouldBe(PermissionDenied);
        (await AsPortalAsync($"""UPDATE "AccessLogSeals" SET "Hash" = "PreviousHash" WHERE "EntryId" = {id}""")).ShouldNotBeNull().SqlState.ShouldBe(PermissionDenied);
        (await AsPortalAsync($"""DELETE FROM "AccessLogSeals" WHERE "EntryId" = {id}""")).ShouldNotBeNull().SqlState.ShouldBe(PermissionDenied);
        (await portal.WithDbAsync(db => db.AccessLog.CountAsync(e => e.Id == id))).ShouldBe(1);
    }

    [Fact]
    public async Task The_portal_role_can_still_change_case_data()
    {
        (await AsPortalAsync("""UPDATE "Cases" SET "VictimSessionVersion" = "VictimSessionVersion" WHERE false""")).ShouldBeNull();
        (await AsPortalAsync("""DELETE FROM "Messages" WHERE false""")).ShouldBeNull();
    }
}
