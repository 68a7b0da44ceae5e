using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class MonitoringMatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AutomaticRequests",
                table: "Cases",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "MonitoringMatches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ContentItemId = table.Column<long>(type: "bigint", nullable: false),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Distance = table.Column<int>(type: "integer", nullable: false),
                    Quality = table.Column<int>(type: "integer", nullable: true),
                    MatchedHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    FoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastFoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    TimesFound = table.Column<int>(type: "integer", nullable: false),
                    Decision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    WaitReason = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedById = table.Column<Guid>(type: "uuid", nullable: true),
                    DismissReason = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoringMatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MonitoringMatches_AspNetUsers_DecidedById",
                        column: x => x.DecidedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MonitoringMatches_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MonitoringMatches_ContentItems_ContentItemId",
                        column: x => x.ContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_FoundBy_FirstSeenAt",
                table: "ContentItems",
                columns: new[] { "FoundBy", "FirstSeenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItemEvents_To_At",
                table: "ContentItemEvents",
                columns: new[] { "To", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringMatches_CaseId",
                table: "MonitoringMatches",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringMatches_ContentItemId",
                table: "MonitoringMatches",
                column: "ContentItemId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringMatches_DecidedById",
                table: "MonitoringMatches",
                column: "DecidedById");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoringMatches_Decision_CaseId",
                table: "MonitoringMatches",
                columns: new[] { "Decision", "CaseId" });

            // Existing rows took the default above; new rows always set it.
            migrationBuilder.Sql("ALTER TABLE \"Cases\" ALTER COLUMN \"AutomaticRequests\" DROP DEFAULT;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MonitoringMatches");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_FoundBy_FirstSeenAt",
                table: "ContentItems");

            migrationBuilder.DropIndex(
                name: "IX_ContentItemEvents_To_At",
                table: "ContentItemEvents");

            migrationBuilder.DropColumn(
                name: "AutomaticRequests",
                table: "Cases");
        }
    }
}
