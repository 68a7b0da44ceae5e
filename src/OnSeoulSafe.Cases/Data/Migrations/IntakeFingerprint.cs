using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// Cases keep a keyed fingerprint of the intake key instead of the key: the victim's access code is derived from the
/// intake key, so a copy of the database plus the HMAC key must not hold it.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261130120000_IntakeFingerprint")]
public sealed class IntakeFingerprint : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        // Existing rows cannot be converted here: the fingerprint needs the HMAC key, which never reaches the
        // database. They get 16 random bytes instead (unique, and never equal to a 32-byte fingerprint), so an old
        // form sent again makes a new case rather than finding its own; the key is only used to catch a repeat within
        // 30 minutes, so nothing but a form open across the upgrade is affected.
        migrationBuilder.Sql(""""
DROP INDEX "IX_Cases_IntakeKey";
ALTER TABLE "Cases" ADD "IntakeFingerprint" bytea;
UPDATE "Cases" SET "IntakeFingerprint" = uuid_send(gen_random_uuid());
ALTER TABLE "Cases" ALTER COLUMN "IntakeFingerprint" SET NOT NULL;
ALTER TABLE "Cases" DROP COLUMN "IntakeKey";
CREATE UNIQUE INDEX "IX_Cases_IntakeFingerprint" ON "Cases" ("IntakeFingerprint");
"""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // The intake keys are gone for good: the old column comes back with random keys.
        migrationBuilder.Sql(""""
DROP INDEX "IX_Cases_IntakeFingerprint";
ALTER TABLE "Cases" ADD "IntakeKey" uuid;
UPDATE "Cases" SET "IntakeKey" = gen_random_uuid();
ALTER TABLE "Cases" ALTER COLUMN "IntakeKey" SET NOT NULL;
ALTER TABLE "Cases" DROP COLUMN "IntakeFingerprint";
CREATE UNIQUE INDEX "IX_Cases_IntakeKey" ON "Cases" ("IntakeKey");
"""");
    }
}
