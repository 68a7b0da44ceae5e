using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// Each staff account keeps when it last completed a sign-in, so an account nobody has used yet is not suggested first
/// for a case. Existing accounts start with none.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261203071500_StaffLastSignIn")]
public sealed class StaffLastSignIn : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""ALTER TABLE "AspNetUsers" ADD "LastSignInAt" timestamp with time zone;""");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""ALTER TABLE "AspNetUsers" DROP COLUMN "LastSignInAt";""");
}
