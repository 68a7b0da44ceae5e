using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// The staff's closing note is free text about the victim, so it is encrypted like the other free text. SQL cannot
/// encrypt (the key never reaches the database): notes written before are marked with a leading 0 byte, and
/// <see cref="ClosingNotes.EncryptPlainClosingNotesAsync"/> encrypts them at start-up, right after the migrations.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261130130000_EncryptClosingNote")]
public sealed class EncryptClosingNote : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(""""
ALTER TABLE "Cases" ALTER COLUMN "ClosingNote" TYPE bytea
    USING CASE WHEN "ClosingNote" IS NULL THEN NULL ELSE '\x00'::bytea || convert_to("ClosingNote", 'UTF8') END;
"""");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Encrypted notes cannot be read back in SQL: only those still waiting for encryption survive.
        migrationBuilder.Sql(""""
ALTER TABLE "Cases" ALTER COLUMN "ClosingNote" TYPE character varying(4000)
    USING CASE WHEN get_byte("ClosingNote", 0) = 0 THEN convert_from(substring("ClosingNote" FROM 2), 'UTF8') ELSE NULL END;
"""");
    }
}
