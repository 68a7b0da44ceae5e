using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OnSeoulSafe.Cases.Data.Migrations
{
    /// <inheritdoc />
    public partial class MinorsPractice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MinorsPractice",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Decision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AloneFromAge = table.Column<int>(type: "integer", nullable: true),
                    Note = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChangedByStaffId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MinorsPractice", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MinorsPractice_Decision",
                table: "MinorsPractice",
                column: "Decision",
                unique: true);

            // The center's practice for minors starts from these defaults (README "Minors' guardians" says what they
            // rest on); a manager changes them at /admin/minors-practice, each change in the access log.
            var seededAt = new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
            migrationBuilder.InsertData(
                table: "MinorsPractice",
                columns: new[] { "Decision", "DecidedBy", "AloneFromAge", "Note", "ChangedAt" },
                values: new object[,]
                {
                    { "Counselling", "MinorWithGuardianConsent", 14, "만 14세부터는 본인이 원하면 상담을 시작합니다. 만 14세 미만은 개인정보 처리에 법정대리인 동의가 필요하므로 보호자 동의를 받되, 안전하다고 한 보호자에게만 연락합니다.", seededAt },
                    { "MedicalExamination", "MinorWithGuardianConsent", null, "병원의 진료 동의 절차를 따릅니다. 보호자가 가해자일 수 있으면 보호자 없이 진행할 방법을 병원과 먼저 협의합니다.", seededAt },
                    { "DeletionRequest", "ByLaw", null, "아동·청소년의 촬영물은 누구의 요청이 없어도 센터가 바로 삭제를 요청합니다.", seededAt },
                    { "PoliceReport", "ByLaw", null, "아동·청소년 대상 성범죄는 알게 된 기관 종사자에게 신고 의무가 있습니다. 신고 전에 본인에게 알리고, 조사에 동행합니다.", seededAt },
                    { "LegalSupport", "MinorWithGuardianConsent", null, "소송 등 법률 행위에는 법정대리인이 필요합니다. 보호자가 안전하지 않으면 피해자 국선변호사 등 다른 길을 찾습니다.", seededAt },
                    { "DisclosureToSchool", "MinorAlone", null, "학교에 알릴지는 본인이 정합니다. 본인 동의 없이 학교에 알리지 않습니다.", seededAt },
                    { "ContactingGuardian", "MinorAlone", null, "본인이 안전하다고 한 보호자에게만 연락합니다. 가해자일 수 있거나 안전하지 않다고 한 보호자에게는 어떤 경우에도 연락하지 않습니다.", seededAt },
                });

            // The portal's own role reads and changes the practice: its grants on the new table.
            migrationBuilder.Sql(AccessControl.Sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MinorsPractice");
        }
    }
}
