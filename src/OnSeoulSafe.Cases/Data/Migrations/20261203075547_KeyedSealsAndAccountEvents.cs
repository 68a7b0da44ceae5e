using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyedSealsAndAccountEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Keyed",
                table: "AccessLogSeals",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "SubjectStaffId",
                table: "AccessLog",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_SubjectStaffId_At",
                table: "AccessLog",
                columns: new[] { "SubjectStaffId", "At" });

            migrationBuilder.Sql(AccessControl.Sql);

            // Existing rows took the default above; new rows always set it.
            migrationBuilder.Sql("ALTER TABLE \"AccessLogSeals\" ALTER COLUMN \"Keyed\" DROP DEFAULT;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AccessLog_SubjectStaffId_At",
                table: "AccessLog");

            migrationBuilder.DropColumn(
                name: "Keyed",
                table: "AccessLogSeals");

            migrationBuilder.DropColumn(
                name: "SubjectStaffId",
                table: "AccessLog");
        }
    }
}
