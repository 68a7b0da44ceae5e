using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class StaffIntake : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "VerballyToStaffId",
                table: "Consents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IntakeChannel",
                table: "Cases",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Web");

            migrationBuilder.AddColumn<Guid>(
                name: "IntakeStaffId",
                table: "Cases",
                type: "uuid",
                nullable: true);

            // Every case before this migration came through the web form; new rows always name their channel.
            migrationBuilder.Sql("""ALTER TABLE "Cases" ALTER "IntakeChannel" DROP DEFAULT;""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "VerballyToStaffId",
                table: "Consents");

            migrationBuilder.DropColumn(
                name: "IntakeChannel",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "IntakeStaffId",
                table: "Cases");
        }
    }
}
