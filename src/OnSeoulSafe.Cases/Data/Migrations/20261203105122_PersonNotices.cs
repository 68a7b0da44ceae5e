using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class PersonNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ContactNameTheCenter",
                table: "Cases",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Existing cases get false (nudges name no one); the model itself has no default.
            migrationBuilder.Sql("ALTER TABLE \"Cases\" ALTER COLUMN \"ContactNameTheCenter\" DROP DEFAULT;");

            migrationBuilder.CreateTable(
                name: "PersonNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    StaffId = table.Column<Guid>(type: "uuid", nullable: true),
                    Channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    State = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LeasedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaseToken = table.Column<Guid>(type: "uuid", nullable: true),
                    LastError = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonNotices_AspNetUsers_StaffId",
                        column: x => x.StaffId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PersonNotices_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonNotices_CaseId_State",
                table: "PersonNotices",
                columns: new[] { "CaseId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonNotices_Key",
                table: "PersonNotices",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonNotices_NotBefore",
                table: "PersonNotices",
                column: "NotBefore",
                filter: "\"State\" = 'Waiting'");

            migrationBuilder.CreateIndex(
                name: "IX_PersonNotices_StaffId_CreatedAt",
                table: "PersonNotices",
                columns: new[] { "StaffId", "CreatedAt" });

            // The portal's own role sends and records notices: its grants on the new table.
            migrationBuilder.Sql(AccessControl.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonNotices");

            migrationBuilder.DropColumn(
                name: "ContactNameTheCenter",
                table: "Cases");
        }
    }
}
