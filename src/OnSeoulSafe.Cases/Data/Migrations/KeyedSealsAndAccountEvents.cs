using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// The seal chain is keyed from here on: each seal says whether it is an HMAC under the seal key (new seals) or a plain
/// SHA-256 (seals written before, which keep verifying as they are; the first keyed seal covers the last of them).
/// The access log also records staff-account changes and sign-ins, with the account they concern.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261203070000_KeyedSealsAndAccountEvents")]
public sealed class KeyedSealsAndAccountEvents : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(""""
ALTER TABLE "AccessLogSeals" ADD "Keyed" boolean NOT NULL DEFAULT FALSE;
ALTER TABLE "AccessLogSeals" ALTER COLUMN "Keyed" DROP DEFAULT;
ALTER TABLE "AccessLog" ADD "SubjectStaffId" uuid;
CREATE INDEX "IX_AccessLog_SubjectStaffId_At" ON "AccessLog" ("SubjectStaffId", "At");
"""");
        migrationBuilder.Sql(AccessControl.Sql);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(""""
DROP INDEX "IX_AccessLog_SubjectStaffId_At";
ALTER TABLE "AccessLog" DROP COLUMN "SubjectStaffId";
ALTER TABLE "AccessLogSeals" DROP COLUMN "Keyed";
"""");
    }
}
