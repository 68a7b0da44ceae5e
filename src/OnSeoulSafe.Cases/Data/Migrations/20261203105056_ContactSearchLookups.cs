using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class ContactSearchLookups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "ContactEmailLookup",
                table: "Cases",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ContactPhoneLookup",
                table: "Cases",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ContactEmailLookup",
                table: "Cases",
                column: "ContactEmailLookup",
                filter: "\"ContactEmailLookup\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ContactPhoneLookup",
                table: "Cases",
                column: "ContactPhoneLookup",
                filter: "\"ContactPhoneLookup\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_ContactEmailLookup",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_ContactPhoneLookup",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ContactEmailLookup",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ContactPhoneLookup",
                table: "Cases");
        }
    }
}
