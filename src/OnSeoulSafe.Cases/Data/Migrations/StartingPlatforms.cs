using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace OnSeoulSafe.Cases.Data.Migrations;

/// <summary>
/// The platforms Korean victims report content on, as starting data: host patterns, the platform's own report
/// address and the request template in Korean and English. A platform a center already named the same is left as it
/// is; managers change or add platforms on <c>/admin/platforms</c>. The report addresses are the platforms' public
/// help and report pages as published; the center checks each one before relying on it.
/// </summary>
[DbContext(typeof(PortalDbContext))]
[Migration("20261203075900_StartingPlatforms")]
public sealed class StartingPlatforms : Migration
{
    /// <summary>Name, host patterns, how the request is made, report address.</summary>
    internal static readonly (string Name, string[] Hosts, string Channel, string Address)[] Platforms =
    [
        ("X (Twitter)", ["x.com", "twitter.com", "t.co", "twimg.com"], "WebForm", "https://help.x.com/forms/safety-and-sensitive-content"),
        ("Telegram", ["telegram.org", "t.me", "telegram.me", "telesco.pe"], "Email", "abuse@telegram.org"),
        ("Instagram", ["instagram.com", "instagr.am", "cdninstagram.com"], "WebForm", "https://help.instagram.com/contact/"),
        ("Facebook", ["facebook.com", "fb.com", "fb.watch", "fbcdn.net"], "WebForm", "https://www.facebook.com/help/contact/"),
        ("YouTube", ["youtube.com", "youtu.be", "ytimg.com", "googlevideo.com"], "WebForm", "https://support.google.com/youtube/answer/142443"),
        ("TikTok", ["tiktok.com", "tiktokcdn.com", "tiktokv.com"], "WebForm", "https://www.tiktok.com/legal/report"),
        ("Naver", ["naver.com", "naver.me", "pstatic.net"], "WebForm", "https://help.naver.com/"),
        ("Kakao", ["kakao.com", "kakaocdn.net", "kakaotv.com"], "WebForm", "https://cs.kakao.com/"),
        ("Daum", ["daum.net", "daumcdn.net", "tistory.com"], "WebForm", "https://cs.daum.net/"),
        ("Pornhub", ["pornhub.com", "phncdn.com"], "WebForm", "https://www.pornhub.com/content-removal"),
        ("XVideos", ["xvideos.com", "xvideos-cdn.com"], "WebForm", "https://info.xvideos.com/legal"),
        ("xHamster", ["xhamster.com", "xhcdn.com"], "WebForm", "https://xhamster.com/info/dmca"),
        ("XNXX", ["xnxx.com"], "WebForm", "https://info.xnxx.com/legal"),
        ("OnlyFans", ["onlyfans.com"], "Email", "support@onlyfans.com"),
    ];

    internal const string TemplateKo = """
        {platform} 담당자께

        서울 디지털성범죄 안심지원센터는 아래 게시물이 당사자의 동의 없이 촬영되거나 유포된 성적 촬영물임을 확인하고 삭제를 요청합니다.

        접수번호: {reference}
        요청일: {date}
        삭제 대상 주소:
        {links}

        근거: {legal_basis}

        삭제한 뒤 결과를 회신해 주시기 바랍니다.
        """;

    internal const string TemplateEn = """
        To the {platform} safety team,

        The Seoul Digital Sex Crime Support Center has confirmed that the content below was filmed or distributed without the consent of the person concerned, and requests its removal.

        Reference: {reference}
        Date: {date}
        Addresses to remove:
        {links}

        Basis: {legal_basis}

        Please reply once the content is removed.
        """;

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        foreach (var (name, hosts, channel, address) in Platforms)
        {
            var array = "ARRAY[" + string.Join(", ", hosts.Select(Literal)) + "]::text[]";
            migrationBuilder.Sql($"""
                INSERT INTO "Platforms" ("Name", "HostPatterns", "Channel", "RequestAddress", "TemplateKo", "TemplateEn", "IsActive")
                VALUES ({Literal(name)}, {array}, {Literal(channel)}, {Literal(address)}, {Literal(TemplateKo)}, {Literal(TemplateEn)}, true)
                ON CONFLICT ("Name") DO NOTHING;
                """);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // Only starting platforms nothing points at: a platform with requests or links stays with its history.
        var names = string.Join(", ", Platforms.Select(p => Literal(p.Name)));
        migrationBuilder.Sql($"""
            DELETE FROM "Platforms" p WHERE p."Name" IN ({names})
              AND NOT EXISTS (SELECT 1 FROM "ContentItems" c WHERE c."PlatformId" = p."Id")
              AND NOT EXISTS (SELECT 1 FROM "DeletionRequests" r WHERE r."PlatformId" = p."Id")
              AND NOT EXISTS (SELECT 1 FROM "MonitorReports" m WHERE m."PlatformId" = p."Id")
              AND NOT EXISTS (SELECT 1 FROM "MonitoringSources" s WHERE s."PlatformId" = p."Id");
            """);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
