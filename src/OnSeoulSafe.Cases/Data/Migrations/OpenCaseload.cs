using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OnSeoulSafe.Cases.Dashboard;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// Adds the dashboard's all-months open-case cells (<see cref="DashboardMeasure.OpenCaseload"/>) by recounting
/// every counter from the raw tables, as the migration that added the deletion figures did.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261130160000_OpenCaseload")]
public sealed class OpenCaseload : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(DashboardLedger.RebuildSql);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql($"""DELETE FROM "DashboardTotals" WHERE "Measure" = {(short)DashboardMeasure.OpenCaseload}; DELETE FROM "DashboardTallies" WHERE "Measure" = {(short)DashboardMeasure.OpenCaseload};""");
}
