using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Audit;

/// <summary>Access-log rows written as the portal writes them, sealing and verifying through the portal's services, and SQL as the owner.</summary>
public static class AuditWorld
{
    public static async Task<List<long>> WriteEntriesAsync(this PortalFactory portal, int count, Guid? staffId = null, Func<int, long>? caseId = null, Func<int, DateTimeOffset>? at = null, string what = "/Cases/File")
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var entries = Enumerable.Range(0, count)
            .Select(i => CaseAccessLog.Record(db, at?.Invoke(i) ?? portal.Clock.GetUtcNow(), staffId ?? Guid.NewGuid(), StaffRoles.Companion, caseId?.Invoke(i) ?? 1000 + i, AccessAction.View, what))
            .ToList();
        await db.SaveChangesAsync();
        return entries.Select(e => e.Id).ToList();
    }

    /// <summary>Lets the written entries settle, then runs one sealing pass as the background job does.</summary>
    public static async Task<int> SealAsync(this PortalFactory portal)
    {
        portal.Clock.Advance(TimeSpan.FromSeconds(10));
        await using var scope = portal.Scope();
        return await scope.ServiceProvider.GetRequiredService<AccessLogChain>().SealAsync(everything: false, CancellationToken.None);
    }

    public static async Task<ChainReport> VerifyAsync(this PortalFactory portal)
    {
        await using var scope = portal.Scope();
        return await scope.ServiceProvider.GetRequiredService<AccessLogChain>().VerifyAsync(CancellationToken.None);
    }

    /// <summary>Runs <paramref name="sql"/> as the owner of the tables (here the superuser), as someone with full rights would.</summary>
    public static async Task AsOwnerAsync(this PortalFactory portal, string sql)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
