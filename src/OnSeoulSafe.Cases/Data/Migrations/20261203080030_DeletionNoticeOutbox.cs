using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeletionNoticeOutbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NextNoticeAt",
                table: "Platforms",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NoticeAddress",
                table: "Platforms",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NoticeBodyFormat",
                table: "Platforms",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "Json");

            migrationBuilder.AddColumn<string>(
                name: "NoticeBodyTemplate",
                table: "Platforms",
                type: "character varying(8000)",
                maxLength: 8000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NoticeDelivery",
                table: "Platforms",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "ByHand");

            migrationBuilder.AddColumn<TimeSpan>(
                name: "NoticeInterval",
                table: "Platforms",
                type: "interval",
                nullable: false,
                defaultValue: TimeSpan.FromMinutes(1));

            migrationBuilder.AddColumn<string>(
                name: "NoticeLanguage",
                table: "Platforms",
                type: "character varying(5)",
                maxLength: 5,
                nullable: false,
                defaultValue: "ko");

            migrationBuilder.AddColumn<TimeSpan>(
                name: "RemovalDeadline",
                table: "Platforms",
                type: "interval",
                nullable: false,
                defaultValue: TimeSpan.FromHours(24));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EscalationDueAt",
                table: "ContentItems",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationStep",
                table: "ContentItems",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.CreateTable(
                name: "DeletionNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DeletionRequestId = table.Column<long>(type: "bigint", nullable: false),
                    ContentItemId = table.Column<long>(type: "bigint", nullable: false),
                    PlatformId = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Delivery = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Language = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    State = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    NotBefore = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LeasedUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaseToken = table.Column<Guid>(type: "uuid", nullable: true),
                    LastError = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PlatformReference = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeletionNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeletionNotices_ContentItems_ContentItemId",
                        column: x => x.ContentItemId,
                        principalTable: "ContentItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DeletionNotices_DeletionRequests_DeletionRequestId",
                        column: x => x.DeletionRequestId,
                        principalTable: "DeletionRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DeletionNotices_Platforms_PlatformId",
                        column: x => x.PlatformId,
                        principalTable: "Platforms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContentItems_EscalationDueAt",
                table: "ContentItems",
                column: "EscalationDueAt",
                filter: "\"EscalationDueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionNotices_ContentItemId",
                table: "DeletionNotices",
                column: "ContentItemId");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionNotices_DeletionRequestId_Step",
                table: "DeletionNotices",
                columns: new[] { "DeletionRequestId", "Step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeletionNotices_NotBefore",
                table: "DeletionNotices",
                column: "NotBefore",
                filter: "\"State\" = 'Waiting'");

            migrationBuilder.CreateIndex(
                name: "IX_DeletionNotices_PlatformId",
                table: "DeletionNotices",
                column: "PlatformId");

            // Existing platforms took the defaults above (sent by hand, 24 hours); new rows always set every column.
            migrationBuilder.Sql("""
                ALTER TABLE "Platforms" ALTER "NoticeDelivery" DROP DEFAULT, ALTER "NoticeBodyFormat" DROP DEFAULT,
                    ALTER "NoticeLanguage" DROP DEFAULT, ALTER "NoticeInterval" DROP DEFAULT, ALTER "RemovalDeadline" DROP DEFAULT;
                ALTER TABLE "ContentItems" ALTER "EscalationStep" DROP DEFAULT;
                """);
            migrationBuilder.Sql(AccessControl.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeletionNotices");

            migrationBuilder.DropIndex(
                name: "IX_ContentItems_EscalationDueAt",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "NextNoticeAt",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "NoticeAddress",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "NoticeBodyFormat",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "NoticeBodyTemplate",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "NoticeDelivery",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "NoticeInterval",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "NoticeLanguage",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "RemovalDeadline",
                table: "Platforms");

            migrationBuilder.DropColumn(
                name: "EscalationDueAt",
                table: "ContentItems");

            migrationBuilder.DropColumn(
                name: "EscalationStep",
                table: "ContentItems");
        }
    }
}
