using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Bench;

/// <summary>
/// The bench's own view of the portal's database: seeds through the portal's composition and domain (so encrypted
/// fields are written as the portal writes them) and counts rows with plain SQL for the correctness checks.
/// </summary>
public sealed class BenchData : IAsyncDisposable
{
    private readonly WebApplication _services;
    private readonly NpgsqlDataSource _sql;

    private BenchData(WebApplication services, string connectionString, string ownerConnectionString)
    {
        _services = services;
        _sql = NpgsqlDataSource.Create(connectionString);
        OwnerConnectionString = ownerConnectionString;
    }

    /// <summary>The tables' owner (falls back to the portal's login), for the database floor's copies of tables.</summary>
    public string OwnerConnectionString { get; }

    /// <summary>Same configuration as the portal (ConnectionStrings__Portal, Portal__Secrets__*) from the environment.</summary>
    public static BenchData Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPortalDatabase(builder.Configuration);
        builder.Services.AddPortalIdentity();
        builder.Services.AddPortalAudit(builder.Configuration);
        var app = builder.Build();
        return new BenchData(app, PortalDatabase.ConnectionString(app.Configuration),
            app.Configuration.GetConnectionString(PortalDatabase.OwnerConnectionStringName) ?? PortalDatabase.ConnectionString(app.Configuration));
    }

    /// <summary>The demo staff accounts, platforms and partner institutions (so intake links match platforms as in use).</summary>
    public async Task SeedDemoAsync(CancellationToken cancellationToken)
    {
        await using var scope = _services.Services.CreateAsyncScope();
        await DemoData.SeedAsync(scope.ServiceProvider, cancellationToken);
    }

    /// <summary>A scope of the portal's composition, for rows that seed their own data (<see cref="MonitoringBench"/>).</summary>
    public AsyncServiceScope CreateScope() => _services.Services.CreateAsyncScope();

    /// <summary>The authenticator key of a staff account, to compute its sign-in codes as the staff member's app would.</summary>
    public async Task<string> AuthenticatorKeyAsync(string email)
    {
        await using var scope = _services.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        var member = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"{email} does not exist.");
        return await users.GetAuthenticatorKeyAsync(member) ?? throw new InvalidOperationException($"{email} has no authenticator.");
    }

    /// <summary>A case assigned to <paramref name="companionEmail"/> whose timeline holds <paramref name="events"/> events.</summary>
    public async Task<(long Id, string Reference)> SeedCaseFileAsync(string companionEmail, int events, CancellationToken cancellationToken)
    {
        await using var scope = _services.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var fingerprints = scope.ServiceProvider.GetRequiredService<Fingerprints>();
        var companion = await db.Users.SingleAsync(u => u.Email == companionEmail, cancellationToken);
        var managerEmail = DemoData.Accounts.First(a => a.Role == StaffRoles.Manager).Email;
        var manager = await db.Users.FirstAsync(u => u.Email == managerEmail, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var opened = now.AddDays(-60);
        var number = await db.NextCaseNumberAsync(cancellationToken);
        var reference = CaseReference.Legacy(opened.Year, number);
        var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim("Bench", "ko"), [CrimeType.DistributionWithoutConsent],
            Text.Narrative(2000), DateOnly.FromDateTime(opened.UtcDateTime.AddDays(-5)), new RiskScreening(false, false, false, false),
            SafeContact.PortalOnly, fingerprints.AccessCode(reference, AccessCode.Generate()), opened);
        @case.AssignTo(companion, manager.Id, opened.AddHours(1));
        var tracks = Enum.GetValues<ServiceTrackKind>();
        var kinds = new[] { TimelineEventKind.Call, TimelineEventKind.Note, TimelineEventKind.Appointment, TimelineEventKind.Accompaniment };
        for (var i = 0; @case.Timeline.Count < events; i++)
        {
            var at = opened.AddHours(2 + i * 6);
            @case.LogActivity(tracks[i % tracks.Length], kinds[i % kinds.Length], companion.Id, at, "서울 ○○센터", 30, $"활동 기록 {i + 1}: 상담과 동행 일정 확인.", now);
        }
        db.Cases.Add(@case);
        await db.SaveChangesAsync(cancellationToken);
        return (@case.Id, @case.Reference);
    }

    /// <summary>The newest case with content items: the last report the intake scenario sent (0 when there is none).</summary>
    public Task<long> NewestIntakeCaseAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT coalesce(max(\"CaseId\"), 0) FROM \"ContentItems\"", cancellationToken);

    public async Task<Guid> StaffIdAsync(string email, CancellationToken cancellationToken)
    {
        await using var command = _sql.CreateCommand("SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"Email\" = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = email });
        return (Guid)(await command.ExecuteScalarAsync(cancellationToken) ?? throw new InvalidOperationException($"{email} does not exist."));
    }

    public Task<long> CountCasesAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT count(*) FROM \"Cases\"", cancellationToken);

    public Task<long> MaxCaseIdAsync(CancellationToken cancellationToken) =>
        ScalarAsync("SELECT coalesce(max(\"Id\"), 0) FROM \"Cases\"", cancellationToken);

    public Task<long> CountCasesAfterAsync(long id, CancellationToken cancellationToken) =>
        ScalarAsync($"SELECT count(*) FROM \"Cases\" WHERE \"Id\" > {id}", cancellationToken);

    public Task<long> CountAccessLogAsync(long caseId, CancellationToken cancellationToken) =>
        ScalarAsync($"SELECT count(*) FROM \"AccessLog\" WHERE \"CaseId\" = {caseId}", cancellationToken);

    /// <summary>
    /// Cases after <paramref name="id"/> that are not whole: a complete intake has its narrative, every service track,
    /// its opening, triage and consent events, and one content item per link.
    /// </summary>
    public Task<long> CountHalfWrittenAfterAsync(long id, int consents, int links, CancellationToken cancellationToken) =>
        ScalarAsync($"""
            SELECT count(*) FROM "Cases" c
            WHERE c."Id" > {id} AND (
                NOT EXISTS (SELECT 1 FROM "Narratives" n WHERE n."CaseId" = c."Id" AND length(n."Text") > 0)
                OR (SELECT count(*) FROM "ServiceTracks" t WHERE t."CaseId" = c."Id") <> {Enum.GetValues<ServiceTrackKind>().Length}
                OR NOT EXISTS (SELECT 1 FROM "TimelineEvents" e WHERE e."CaseId" = c."Id" AND e."Kind" = '{TimelineEventKind.CaseOpened}')
                OR NOT EXISTS (SELECT 1 FROM "TimelineEvents" e WHERE e."CaseId" = c."Id" AND e."Kind" = '{TimelineEventKind.Triaged}')
                OR (SELECT count(*) FROM "TimelineEvents" e WHERE e."CaseId" = c."Id" AND e."Kind" = '{TimelineEventKind.ConsentChanged}') <> {consents}
                OR (SELECT count(*) FROM "ContentItems" i WHERE i."CaseId" = c."Id") <> {links})
            """, cancellationToken);

    public Task<long> CountCasesWithReferencesAsync(string[] references, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT count(*) FROM \"Cases\" WHERE \"Reference\" = ANY(@references)", cancellationToken, references);

    public Task<long> CountAccessLogForReferencesAsync(string[] references, CancellationToken cancellationToken) =>
        ScalarAsync("SELECT count(*) FROM \"AccessLog\" l JOIN \"Cases\" c ON c.\"Id\" = l.\"CaseId\" WHERE c.\"Reference\" = ANY(@references)", cancellationToken, references);

    public Task<long> CountVictimMessagesForReferencesAsync(string[] references, CancellationToken cancellationToken) =>
        ScalarAsync($"SELECT count(*) FROM \"Messages\" m JOIN \"Cases\" c ON c.\"Id\" = m.\"CaseId\" WHERE c.\"Reference\" = ANY(@references) AND m.\"Sender\" = '{MessageSender.Victim}'", cancellationToken, references);

    /// <summary>Drops pooled connections a PostgreSQL restart has ended, so the checks afterwards open fresh ones.</summary>
    public void ForgetConnections()
    {
        _sql.Clear();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The access log's seal chain once the portals have sealed every entry: how many are sealed, and what is wrong if anything.</summary>
    public sealed record ChainCheck(long Sealed, string? Problem);

    public async Task<ChainCheck> WaitForSealedChainAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            await using var scope = _services.Services.CreateAsyncScope();
            var report = await scope.ServiceProvider.GetRequiredService<OnSeoulSafe.Cases.Audit.AccessLogChain>().VerifyAsync(cancellationToken);
            if (report.Break is { } broken) return new ChainCheck(report.UnbrokenThrough, "broken: " + broken);
            if (report.UnsealedOlderEntries == 0) return new ChainCheck(report.UnbrokenThrough, null);
            if (DateTimeOffset.UtcNow > until) return new ChainCheck(report.UnbrokenThrough, $"{report.UnsealedOlderEntries} entries still unsealed");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken, string[]? references = null)
    {
        await using var command = _sql.CreateCommand(sql);
        if (references is not null) command.Parameters.AddWithValue("references", references);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _sql.DisposeAsync();
        await _services.DisposeAsync();
    }
}
