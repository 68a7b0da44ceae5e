using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OnSeoulSafe.Cases.Dashboard;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// Each deletion request keeps when its link was verified gone and when it reappeared, so the dashboard can count
/// time to verified deletion and reappearances per platform as it counts everything else (one row's facts). Existing
/// requests are filled in from the content items' history, then the dashboard's counters are recounted.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261130140000_DeletionRequestOutcomeDates")]
public sealed class DeletionRequestOutcomeDates : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE "DeletionRequests" ADD "VerifiedGoneAt" timestamp with time zone;
            ALTER TABLE "DeletionRequests" ADD "ReappearedAt" timestamp with time zone;

            UPDATE "DeletionRequests" dr SET
                "VerifiedGoneAt" = (SELECT min(e."At") FROM "ContentItemEvents" e
                                     WHERE e."ContentItemId" = dr."ContentItemId" AND e."To" = 'VerifiedGone' AND e."At" >= dr."RequestedAt"
                                       AND NOT EXISTS (SELECT 1 FROM "DeletionRequests" n
                                                        WHERE n."ContentItemId" = dr."ContentItemId" AND n."RequestedAt" > dr."RequestedAt" AND n."RequestedAt" <= e."At")),
                "ReappearedAt" = (SELECT min(e."At") FROM "ContentItemEvents" e
                                   WHERE e."ContentItemId" = dr."ContentItemId" AND e."To" = 'Reappeared' AND e."At" > dr."RequestedAt"
                                     AND NOT EXISTS (SELECT 1 FROM "DeletionRequests" n
                                                      WHERE n."ContentItemId" = dr."ContentItemId" AND n."RequestedAt" > dr."RequestedAt" AND n."RequestedAt" <= e."At"));
            """);
        migrationBuilder.Sql(DashboardLedger.RebuildSql);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE "DeletionRequests" DROP COLUMN "VerifiedGoneAt";
            ALTER TABLE "DeletionRequests" DROP COLUMN "ReappearedAt";
            """);
    }
}
