using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Access;

/// <summary>How often one staff member opened or changed a victim's file on one day (Korea time), as the victim may see it.</summary>
/// <param name="Role">The staff role recorded at the time (Companion, Manager ...).</param>
/// <param name="FirstName">The staff member's first name only; never the account name or e-mail.</param>
/// <param name="Day">The day in Korea, the victims' and the centre's clock.</param>
/// <param name="Count">Reads and changes that day.</param>
/// <param name="LastAt">The last of them.</param>
public sealed record CaseReadsOfDay(string Role, string FirstName, DateOnly Day, int Count, DateTimeOffset LastAt);

/// <summary>Who opened a case file and when, for the victim's status page.</summary>
public static class CaseReaders
{
    /// <summary>
    /// One row per staff member, role and Korean day, newest first, counted in the database: a companion who opens
    /// the file thirty times in a day is one line saying thirty, not thirty lines. Korea keeps UTC+9 all year, so the
    /// day is the UTC time plus nine hours.
    /// </summary>
    public static async Task<IReadOnlyList<CaseReadsOfDay>> ByDayAsync(
        PortalDbContext db, long caseId, CancellationToken cancellationToken, int limit = 200)
    {
        string[] reads = [nameof(AccessAction.View), nameof(AccessAction.Edit), nameof(AccessAction.Export)];
        return await db.Database.SqlQuery<CaseReadsOfDay>(
                $"""
                SELECT a."ActorRole" AS "Role", COALESCE(u."FirstName", '') AS "FirstName",
                       ((a."At" AT TIME ZONE 'UTC') + interval '9 hours')::date AS "Day",
                       count(*)::int AS "Count", max(a."At") AS "LastAt"
                FROM "AccessLog" a
                LEFT JOIN "AspNetUsers" u ON u."Id" = a."StaffId"
                WHERE a."CaseId" = {caseId} AND a."StaffId" IS NOT NULL AND a."Action" = ANY({reads})
                GROUP BY a."StaffId", a."ActorRole", u."FirstName", 3
                ORDER BY max(a."At") DESC
                LIMIT {limit}
                """)
            .ToListAsync(cancellationToken);
    }
}
