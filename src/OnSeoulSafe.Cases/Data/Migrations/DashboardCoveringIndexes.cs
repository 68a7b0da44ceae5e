using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// Covering indexes over the dashboard's totals, so each read sums its cells from the index alone instead of
/// visiting thousands of table pages at a million cases, and an autovacuum setting that keeps the visibility map
/// (which index-only scans rely on) current while the compaction updates totals every few seconds.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261130150000_DashboardCoveringIndexes")]
public sealed class DashboardCoveringIndexes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE INDEX "IX_DashboardTotals_Read" ON "DashboardTotals" ("Measure", "CompanionId", "Crime", "Month", "IsMinor", "Key1", "Key2") INCLUDE ("N");
            CREATE INDEX "IX_DashboardTotals_PerCompanion" ON "DashboardTotals" ("Measure", "Crime", "CompanionId", "Month", "IsMinor", "Key1", "Key2") INCLUDE ("N");
            ALTER TABLE "DashboardTotals" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                               autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 1000);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP INDEX "IX_DashboardTotals_Read";
            DROP INDEX "IX_DashboardTotals_PerCompanion";
            ALTER TABLE "DashboardTotals" RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
                                                 autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_insert_threshold);
            """);
    }
}
