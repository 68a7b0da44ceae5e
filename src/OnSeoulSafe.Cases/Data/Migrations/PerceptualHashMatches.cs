using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// A file match says what matched: the SHA-256 (every existing flag), or a PDQ of a picture or a video frame with the
/// case's hash that matched and the Hamming distance, so a companion sees a changed copy for what it is.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261202160000_PerceptualHashMatches")]
public sealed class PerceptualHashMatches : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE "HashMatches" ADD "Kind" character varying(40) NOT NULL DEFAULT 'Sha256';
            ALTER TABLE "HashMatches" ALTER COLUMN "Kind" DROP DEFAULT;
            ALTER TABLE "HashMatches" ADD "MatchedHash" character varying(64);
            ALTER TABLE "HashMatches" ADD "Distance" integer;
            """);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""
            ALTER TABLE "HashMatches" DROP COLUMN "Kind";
            ALTER TABLE "HashMatches" DROP COLUMN "MatchedHash";
            ALTER TABLE "HashMatches" DROP COLUMN "Distance";
            """);
}
