using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Audit;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// The owner's credentials go to the migration step alone: a process of its own that migrates and exits. The serving
/// portal is configured with its own login only.
/// </summary>
public sealed class MigrationStepTests(MigrationStepTests.OwnDatabasePortal portal) : IClassFixture<MigrationStepTests.OwnDatabasePortal>
{
    /// <summary>A portal whose database is not handed on to other tests: a failed run could leave it at an older schema.</summary>
    public sealed class OwnDatabasePortal : PortalFactory
    {
        protected override bool ReleasesDatabase => false;
    }

    [Fact]
    public void The_serving_portal_holds_no_owner_credentials()
    {
        var configuration = portal.Services.GetRequiredService<IConfiguration>();

        configuration.GetConnectionString(PortalDatabase.OwnerConnectionStringName).ShouldBeNull();
        new NpgsqlConnectionStringBuilder(PortalDatabase.ConnectionString(configuration)).Username.ShouldBe(PortalDatabaseTemplate.PortalLogin);
    }

    [Fact]
    public async Task The_migration_step_applies_a_pending_migration_as_the_owner_and_returns()
    {
        // Arrange: a migration is not applied yet.
        await portal.AsOwnerAsync("""
            DROP INDEX "IX_AccessLog_SubjectStaffId_At";
            ALTER TABLE "AccessLog" DROP COLUMN "SubjectStaffId";
            ALTER TABLE "AccessLogSeals" DROP COLUMN "Keyed";
            DELETE FROM "__EFMigrationsHistory" WHERE "MigrationId" = '20261203075547_KeyedSealsAndAccountEvents';
            """);

        // Act
        var ran = await PortalDatabase.MigrateOnlyIfAskedAsync(
        [
            PortalDatabase.MigrateArgument,
            $"--ConnectionStrings:{PortalDatabase.OwnerConnectionStringName}={portal.ConnectionString}",
            $"--Portal:Secrets:EncryptionKeys:1={TestSecrets.EncryptionKey1}",
            "--Portal:Secrets:ActiveEncryptionKey=1",
            $"--Portal:Secrets:HmacKey={TestSecrets.HmacKey}",
        ]);

        // Assert
        ran.ShouldBeTrue();
        (await PortalDatabase.MigrateOnlyIfAskedAsync(["--urls", "http://127.0.0.1:1"])).ShouldBeFalse();
        (await portal.WithDbAsync(db => db.AccessLogSeals.CountAsync(s => s.Keyed))).ShouldBeGreaterThanOrEqualTo(0);
        (await portal.WithDbAsync(db => db.Database.SqlQueryRaw<string>("""SELECT "MigrationId" AS "Value" FROM "__EFMigrationsHistory" """).ToListAsync()))
            .ShouldContain("20261203075547_KeyedSealsAndAccountEvents");
    }
}
