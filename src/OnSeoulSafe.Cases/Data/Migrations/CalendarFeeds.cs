using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>Each staff member's calendar feed: the SHA-256 of its secret address token, when made, when revoked.</summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261203070100_CalendarFeeds")]
public sealed class CalendarFeeds : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE "CalendarFeeds" (
                "StaffId" uuid NOT NULL,
                "TokenHash" bytea NOT NULL,
                "CreatedAt" timestamp with time zone NOT NULL,
                "RevokedAt" timestamp with time zone,
                CONSTRAINT "PK_CalendarFeeds" PRIMARY KEY ("StaffId"),
                CONSTRAINT "FK_CalendarFeeds_AspNetUsers_StaffId" FOREIGN KEY ("StaffId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
            );
            CREATE UNIQUE INDEX "IX_CalendarFeeds_TokenHash" ON "CalendarFeeds" ("TokenHash");
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""DROP TABLE "CalendarFeeds";""");
}
