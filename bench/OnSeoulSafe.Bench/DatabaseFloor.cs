using System.Globalization;
using System.Net.Http.Json;
using Npgsql;

namespace OnSeoulSafe.Bench;

/// <summary>
/// The database's part of a scenario on its own: per request, one prepared batch straight to PostgreSQL writing (or
/// reading) the rows the portal writes (or reads), with no HTTP, no portal and no page. The portal does this work and
/// more on the same cores, so no portal can serve the scenario faster: the floor's ratio to a baseline bounds the
/// ratio the portal can reach. Sent through bare Kestrel instead (<see cref="OverHttpAsync"/>), it shows what HTTP
/// alone adds. Rows are written to copies of the portal's tables in a schema of their own (same
/// columns, indexes and defaults; no foreign keys, which only makes the floor cheaper), dropped afterwards.
/// </summary>
public sealed class DatabaseFloor : IAsyncDisposable
{
    private const string Schema = "bench_floor";

    /// <summary>Written per intake; the dashboard ledger's deltas for one report are nine rows.</summary>
    private static readonly string[] IntakeTables =
        ["Victims", "Cases", "Narratives", "ServiceTracks", "TimelineEvents", "Consents", "ContentItems", "ContentItemEvents", "DashboardTallies"];

    private const int LedgerRowsPerIntake = 9;

    private readonly NpgsqlDataSource _sql;

    private DatabaseFloor(NpgsqlDataSource sql) => _sql = sql;

    /// <summary>Connects as the owner (it creates the copies), preparing statements as the portal does.</summary>
    public static async Task<DatabaseFloor> CreateAsync(string ownerConnectionString, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        var floor = new DatabaseFloor(FloorBatch.DataSource(ownerConnectionString));
        var copies = string.Join("\n", tables.Select(t => $"CREATE TABLE {Schema}.\"{t}\" (LIKE public.\"{t}\" INCLUDING ALL);"));
        await floor.ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE; CREATE SCHEMA {Schema};\n{copies}", cancellationToken);
        return floor;
    }

    public static Task<DatabaseFloor> ForIntakeAsync(string ownerConnectionString, CancellationToken cancellationToken) =>
        CreateAsync(ownerConnectionString, IntakeTables, cancellationToken);

    /// <summary>
    /// A complete report written again under a new case number: the rows of <paramref name="templateCaseId"/> (a case
    /// the portal's intake just made, so every size is real) copied in one implicit transaction, durably committed.
    /// </summary>
    public async Task<IReadOnlyList<string>> IntakeAsync(long templateCaseId, CancellationToken cancellationToken)
    {
        var t = templateCaseId.ToString(CultureInfo.InvariantCulture);
        const string Number = "currval('bench_floor.numbers')";
        await ExecuteAsync($"CREATE SEQUENCE {Schema}.numbers", cancellationToken);
        var cases = await ColumnsAsync("Cases", cancellationToken);
        var caseValues = cases.Select(c => c switch
        {
            "Id" => Number,
            "Reference" => $"'F-' || {Number}",
            "VictimId" => $"md5({Number}::text)::uuid",
            "IntakeFingerprint" => $"sha256(int8send({Number}))",
            _ => $"\"{c}\"",
        });
        var statements = new List<string>
        {
            $"SELECT nextval('{Schema}.numbers')",
            $"INSERT INTO {Schema}.\"Victims\" SELECT md5({Number}::text)::uuid, \"Nickname\", \"PreferredLanguage\" FROM \"Victims\" WHERE \"Id\" = (SELECT \"VictimId\" FROM \"Cases\" WHERE \"Id\" = {t})",
            $"INSERT INTO {Schema}.\"Cases\" ({List(cases)}) SELECT {string.Join(", ", caseValues)} FROM \"Cases\" WHERE \"Id\" = {t}",
        };
        foreach (var table in new[] { "Narratives", "ServiceTracks", "TimelineEvents", "Consents" })
        {
            var columns = (await ColumnsAsync(table, cancellationToken)).Where(c => c != "Id").ToList();
            var values = columns.Select(c => c == "CaseId" ? Number : $"\"{c}\"");
            statements.Add($"INSERT INTO {Schema}.\"{table}\" ({List(columns)}) SELECT {string.Join(", ", values)} FROM \"{table}\" WHERE \"CaseId\" = {t}");
        }
        var items = (await ColumnsAsync("ContentItems", cancellationToken)).Where(c => c != "Id").ToList();
        var itemEvents = (await ColumnsAsync("ContentItemEvents", cancellationToken)).Where(c => c is not ("Id" or "ContentItemId")).ToList();
        statements.Add(
            $"""
            WITH items AS (
                INSERT INTO {Schema}."ContentItems" ({List(items)})
                SELECT {string.Join(", ", items.Select(c => c == "CaseId" ? Number : $"i.\"{c}\""))} FROM "ContentItems" i WHERE i."CaseId" = {t}
                RETURNING "Id", "UrlFingerprint")
            INSERT INTO {Schema}."ContentItemEvents" ("ContentItemId", {List(itemEvents)})
            SELECT items."Id", {string.Join(", ", itemEvents.Select(c => $"e.\"{c}\""))}
            FROM items JOIN "ContentItems" i ON i."CaseId" = {t} AND i."UrlFingerprint" = items."UrlFingerprint"
            JOIN "ContentItemEvents" e ON e."ContentItemId" = i."Id"
            """);
        statements.Add(
            $"""
            INSERT INTO {Schema}."DashboardTallies" ("Measure", "Month", "CompanionId", "Crime", "IsMinor", "Key1", "Key2", "N")
            SELECT 1, date_trunc('month', now())::date, '00000000-0000-0000-0000-000000000000', 1, false, g, 0, 1 FROM generate_series(1, {LedgerRowsPerIntake}) g
            """);
        return statements;
    }

    /// <summary>Rows of one floor intake per table, read back after the run to check that each request wrote them all.</summary>
    public async Task<long> IntakesWrittenAsync(long templateCaseId, CancellationToken cancellationToken)
    {
        var t = templateCaseId.ToString(CultureInfo.InvariantCulture);
        var cases = await ScalarAsync($"SELECT count(*) FROM {Schema}.\"Cases\"", cancellationToken);
        foreach (var table in new[] { "Narratives", "ServiceTracks", "TimelineEvents", "Consents", "ContentItems" })
        {
            var per = await ScalarAsync($"SELECT count(*) FROM \"{table}\" WHERE \"CaseId\" = {t}", cancellationToken);
            var written = await ScalarAsync($"SELECT count(*) FROM {Schema}.\"{table}\"", cancellationToken);
            if (written != per * cases) throw new InvalidOperationException($"The floor wrote {written} {table} rows for {cases} cases, not {per} each.");
        }
        return cases;
    }

    public static Task<DatabaseFloor> ForCaseViewAsync(string ownerConnectionString, CancellationToken cancellationToken) =>
        CreateAsync(ownerConnectionString, ["AccessLog"], cancellationToken);

    /// <summary>
    /// What a companion's view of a case file reads, as the portal reads it (the session check, the case by its
    /// reference, the file, the newest <paramref name="events"/> events and their counts, the staff names), and its
    /// access-log row, durably committed.
    /// </summary>
    public static IReadOnlyList<string> CaseView(long caseId, Guid staffId, int events)
    {
        var c = caseId.ToString(CultureInfo.InvariantCulture);
        var s = $"'{staffId}'::uuid";
        return
        [
            $"SELECT \"SecurityStamp\", \"IsActive\" FROM \"AspNetUsers\" WHERE \"Id\" = {s}",
            $"SELECT \"Id\", \"Reference\", \"AssignedCompanionId\" FROM \"Cases\" WHERE \"Reference\" = (SELECT \"Reference\" FROM \"Cases\" WHERE \"Id\" = {c})",
            $"SELECT * FROM \"Cases\" c JOIN \"Victims\" v ON v.\"Id\" = c.\"VictimId\" LEFT JOIN \"Narratives\" n ON n.\"CaseId\" = c.\"Id\" LEFT JOIN \"AspNetUsers\" u ON u.\"Id\" = c.\"AssignedCompanionId\" WHERE c.\"Id\" = {c}",
            $"SELECT * FROM \"NarrativeAmendments\" WHERE \"CaseId\" = {c}",
            $"SELECT * FROM \"Consents\" WHERE \"CaseId\" = {c}",
            $"SELECT * FROM \"ServiceTracks\" WHERE \"CaseId\" = {c}",
            $"SELECT r.*, p.* FROM \"Referrals\" r JOIN \"ServiceTracks\" t ON t.\"Id\" = r.\"ServiceTrackId\" LEFT JOIN \"PartnerInstitutions\" p ON p.\"Id\" = r.\"PartnerInstitutionId\" WHERE t.\"CaseId\" = {c}",
            $"SELECT * FROM \"Messages\" WHERE \"CaseId\" = {c}",
            $"SELECT * FROM \"TimelineEvents\" WHERE \"CaseId\" = {c} ORDER BY \"OccurredAt\" DESC, \"Id\" DESC LIMIT {events}",
            $"SELECT \"Track\", count(*) FROM \"TimelineEvents\" WHERE \"CaseId\" = {c} GROUP BY \"Track\"",
            $"SELECT \"Id\", \"FirstName\" FROM \"AspNetUsers\" WHERE \"Id\" = ANY (ARRAY[{s}])",
            $"INSERT INTO {Schema}.\"AccessLog\" (\"At\", \"StaffId\", \"ActorRole\", \"CaseId\", \"Action\", \"What\") VALUES (now(), {s}, 'Companion', {c}, 'View', '/Cases/File')",
        ];
    }

    public Task<long> AccessLogRowsAsync(CancellationToken cancellationToken) =>
        ScalarAsync($"SELECT count(*) FROM {Schema}.\"AccessLog\"", cancellationToken);

    /// <summary>Each request sends the batch straight to PostgreSQL: no HTTP, no portal.</summary>
    public LoadClient.Send Direct(IReadOnlyList<string> statements) =>
        async cancellationToken =>
        {
            await FloorBatch.RunAsync(_sql, statements, cancellationToken);
            return true;
        };

    /// <summary>
    /// Each request asks the baselines' bare Kestrel to send the batch and answer with <paramref name="pageBytes"/>
    /// bytes (the portal's page for the scenario): what HTTP adds to the floor, with no portal behind it.
    /// </summary>
    public static async Task<LoadClient.Send> OverHttpAsync(HttpClient baselines, IReadOnlyList<string> statements, int pageBytes, CancellationToken cancellationToken)
    {
        using (var registered = await baselines.PutAsJsonAsync("/floor", new { statements, pageBytes }, cancellationToken))
        {
            registered.EnsureSuccessStatusCode();
        }
        return async token =>
        {
            using var response = await baselines.PostAsync("/floor", null, token);
            await response.Content.CopyToAsync(Stream.Null, token);
            return response.IsSuccessStatusCode;
        };
    }

    private async Task<List<string>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        await using var command = _sql.CreateCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position");
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) columns.Add(reader.GetString(0));
        return columns;
    }

    private static string List(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => $"\"{c}\""));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _sql.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _sql.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {Schema} CASCADE", CancellationToken.None);
        }
        finally
        {
            await _sql.DisposeAsync();
        }
    }
}
