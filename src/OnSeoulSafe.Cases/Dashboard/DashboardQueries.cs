using System.Data;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Dashboard;

/// <summary>
/// Reads the dashboard. Counted figures come from the maintained cells (totals + deltas not yet compacted), whose
/// number depends on months, companions and platforms, not on how many cases there are; the intake queue and
/// overdue contacts depend on the clock and are read from partial indexes that hold only waiting cases.
/// </summary>
public sealed class DashboardQueries(PortalDbContext db)
{
    public const int QueueListLength = 50;
    public const int TrendLength = 24;
    public const int FirstContactLength = 12;

    private static readonly DateOnly Earliest = new(1900, 1, 1);
    private static readonly DateOnly Latest = new(9999, 12, 1);

    public async Task<DashboardFigures> LoadAsync(DashboardFilter filter, DashboardTargets targets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = filter.From ?? Earliest;
        var to = filter.To ?? Latest;
        var trendEnd = filter.To ?? DashboardFacts.MonthOf(now);
        var trendStart = trendEnd.AddMonths(-(TrendLength - 1));
        if (filter.From is { } f && f > trendStart) trendStart = f;
        var trendMonths = new List<DateOnly>();
        for (var m = trendStart; m <= trendEnd; m = m.AddMonths(1)) trendMonths.Add(m);
        // First contact is a service-level figure: the last twelve months of the range, each read as a histogram.
        var contactStart = trendEnd.AddMonths(-(FirstContactLength - 1)) is var s && s > trendStart ? s : trendStart;

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            var companion = filter.CompanionId ?? Guid.Empty;
            var crime = filter.Crime is { } c ? (short)c : DashboardFacts.AllCrimes;

            await using var batch = new NpgsqlBatch(connection);
            // Each read sums only the cells it needs and groups away the columns it does not show, so it returns
            // a few hundred rows whatever the number of cases.
            // 0: open cases over the date range, by status and priority
            // Open cases: without a date range the all-months cells answer; with one, the intake months in it.
            var open = filter.From is null && filter.To is null
                ? $"\"Measure\" = {M(DashboardMeasure.OpenCaseload)} AND \"Month\" = @no_month"
                : $"\"Measure\" = {M(DashboardMeasure.OpenCases)} AND \"Month\" BETWEEN @from AND @to";
            batch.BatchCommands.Add(Cells(
                $"{open} AND \"CompanionId\" = @companion AND \"Crime\" = @crime",
                filter, ["Key1", "Key2"], P("companion", companion), P("crime", crime), P("from", from), P("to", to), P("no_month", DashboardFacts.NoMonth)));
            // 1: trend months: opened (by minor), closed, first contact (by priority and bucket), opened by crime type
            batch.BatchCommands.Add(Cells(
                $"\"Measure\" IN ({M(DashboardMeasure.CasesOpened)}, {M(DashboardMeasure.CasesClosed)}) AND \"CompanionId\" = @companion AND \"Crime\" = @crime AND \"Month\" BETWEEN @from AND @to",
                filter, ["Month", "IsMinor"], P("companion", companion), P("crime", crime), P("from", trendStart), P("to", trendEnd)));
            batch.BatchCommands.Add(FirstContactByMonth(
                $"\"Measure\" = {M(DashboardMeasure.FirstContact)} AND \"CompanionId\" = @companion AND \"Crime\" = @crime AND \"Month\" BETWEEN @from AND @to",
                filter, targets, P("companion", companion), P("crime", crime), P("from", contactStart), P("to", trendEnd)));
            batch.BatchCommands.Add(Cells(
                $"\"Measure\" = {M(DashboardMeasure.CasesOpened)} AND \"CompanionId\" = @companion AND {(filter.Crime is null ? "\"Crime\" >= 0" : "\"Crime\" = @crime")} AND \"Month\" BETWEEN @from AND @to",
                filter, ["Month", "Crime"], P("companion", companion), P("crime", crime), P("from", trendStart), P("to", trendEnd)));
            // 4: caseload per companion
            batch.BatchCommands.Add(Cells(
                $"{open} AND {(filter.CompanionId is null ? "\"CompanionId\" <> @companion" : "\"CompanionId\" = @companion")} AND \"Crime\" = @crime",
                filter, ["CompanionId", "Key2"], P("companion", companion), P("crime", crime), P("from", from), P("to", to), P("no_month", DashboardFacts.NoMonth)));
            // 5: open service tracks
            batch.BatchCommands.Add(Cells($"\"Measure\" = {M(DashboardMeasure.OpenTracks)}", DashboardFilter.None, ["Key1", "Key2"]));
            // 6: deletion support
            // Without a date range the all-time cells answer; with one, the months in it.
            var deletionMonths = filter.From is null && filter.To is null ? "\"Month\" = @no_month" : "\"Month\" BETWEEN @from AND @to AND \"Month\" <> @no_month";
            batch.BatchCommands.Add(Cells(
                $"\"Measure\" IN ({M(DashboardMeasure.DeletionRequests)}, {M(DashboardMeasure.TimeToVerifiedGone)}, {M(DashboardMeasure.Removals)}) AND \"CompanionId\" = @all AND \"Crime\" = {DashboardFacts.AllCrimes} AND {deletionMonths}",
                filter, ["Key1", "Key2"], P("all", Guid.Empty), P("from", from), P("to", to), P("no_month", DashboardFacts.NoMonth)));
            // 5, 6: the intake queue (partial index IX_Cases_IntakeQueue)
            var (queueWhere, queueParameters) = WaitingCases(filter, includeCompanion: false);
            var cutNormal = now.AddHours(-targets.FirstContactHours).ToUniversalTime();
            var cutEmergency = now.AddHours(-targets.EmergencyFirstContactHours).ToUniversalTime();
            batch.BatchCommands.Add(Command(
                $"""
                SELECT count(*), count(*) FILTER (WHERE "CreatedAt" < CASE WHEN "Priority" = 'Emergency' THEN @cut_emergency ELSE @cut_normal END)
                  FROM "Cases" WHERE "AssignedCompanionId" IS NULL AND "Status" IN ('New', 'Triaged'){queueWhere}
                """, [.. queueParameters, P("cut_normal", cutNormal), P("cut_emergency", cutEmergency)]));
            batch.BatchCommands.Add(Command(
                $"""
                SELECT "Reference", "Priority", "CreatedAt" FROM "Cases"
                 WHERE "AssignedCompanionId" IS NULL AND "Status" IN ('New', 'Triaged'){queueWhere}
                 ORDER BY "Priority", "CreatedAt" LIMIT {QueueListLength}
                """, queueParameters));
            // 7: assigned cases still waiting for first contact, per companion (partial index IX_Cases_AwaitingFirstContact)
            var (awaitWhere, awaitParameters) = WaitingCases(filter, includeCompanion: true);
            batch.BatchCommands.Add(Command(
                $"""
                SELECT "AssignedCompanionId", count(*) FROM "Cases"
                 WHERE "AssignedCompanionId" IS NOT NULL AND "FirstContactAt" IS NULL AND "Status" IN ('Assigned', 'InProgress'){awaitWhere}
                   AND "CreatedAt" < CASE WHEN "Priority" = 'Emergency' THEN @cut_emergency ELSE @cut_normal END
                 GROUP BY "AssignedCompanionId"
                """, [.. awaitParameters, P("cut_normal", cutNormal), P("cut_emergency", cutEmergency)]));
            // 8: names of platforms; 9: names of companions (staff accounts, not victims)
            batch.BatchCommands.Add(Command("SELECT \"Id\", \"Name\" FROM \"Platforms\"", []));
            batch.BatchCommands.Add(Command(
                """
                SELECT u."Id", u."FullName", EXISTS (SELECT 1 FROM "AspNetUserRoles" ur JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
                                                      WHERE ur."UserId" = u."Id" AND r."Name" = 'Companion') AND u."IsActive"
                  FROM "AspNetUsers" u
                """, []));

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var openCells = await ReadCellsAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            var monthCells = (await ReadCellsAsync(reader, cancellationToken)).ToLookup(x => (x.Measure, x.Month));
            await reader.NextResultAsync(cancellationToken);
            // (month, bucket, contacts, of which within target), in month and bucket order
            var contactMonths = new Dictionary<DateOnly, FirstContactMonth>();
            var histogram = new List<(int Bucket, long N)>();
            long within = 0;
            DateOnly? current = null;
            void CloseMonth()
            {
                if (current is not { } m) return;
                contactMonths[m] = new FirstContactMonth(m, histogram.Sum(h => h.N), within, PercentileBucket(histogram, 0.5), PercentileBucket(histogram, 0.9));
                histogram.Clear();
                within = 0;
            }
            while (await reader.ReadAsync(cancellationToken))
            {
                var month = reader.GetFieldValue<DateOnly>(0);
                if (month != current) CloseMonth();
                current = month;
                histogram.Add((reader.GetInt32(1), reader.GetInt64(2)));
                within += reader.GetInt64(3);
            }
            CloseMonth();
            await reader.NextResultAsync(cancellationToken);
            var crimeCells = (await ReadCellsAsync(reader, cancellationToken)).ToLookup(x => x.Month);
            await reader.NextResultAsync(cancellationToken);
            var loadCells = await ReadCellsAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            var trackCells = await ReadCellsAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            var deletionCells = await ReadCellsAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var waiting = reader.GetInt64(0);
            var pastTarget = reader.GetInt64(1);
            await reader.NextResultAsync(cancellationToken);
            var oldest = new List<QueuedCase>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var priority = Enum.Parse<CasePriority>(reader.GetString(1));
                var createdAt = reader.GetFieldValue<DateTimeOffset>(2);
                oldest.Add(new QueuedCase(reader.GetString(0), priority, createdAt, now - createdAt, createdAt < (priority == CasePriority.Emergency ? cutEmergency : cutNormal)));
            }
            await reader.NextResultAsync(cancellationToken);
            var overdue = new Dictionary<Guid, long>();
            while (await reader.ReadAsync(cancellationToken)) overdue[reader.GetGuid(0)] = reader.GetInt64(1);
            await reader.NextResultAsync(cancellationToken);
            var platforms = new Dictionary<int, string>();
            while (await reader.ReadAsync(cancellationToken)) platforms[reader.GetInt32(0)] = reader.GetString(1);
            await reader.NextResultAsync(cancellationToken);
            var staff = new Dictionary<Guid, (string Name, bool IsCompanion)>();
            while (await reader.ReadAsync(cancellationToken)) staff[reader.GetGuid(0)] = (reader.GetString(1), reader.GetBoolean(2));

            return new DashboardFigures(
                now,
                trendMonths,
                Enum.GetValues<CaseStatus>().Where(s => s is not (CaseStatus.Closed or CaseStatus.Withdrawn))
                    .ToDictionary(s => s, s => openCells.Where(x => x.Key1 == (int)s).Sum(x => x.N)),
                Enum.GetValues<CasePriority>().ToDictionary(p => p, p => openCells.Where(x => x.Key2 == (int)p).Sum(x => x.N)),
                Enum.GetValues<ServiceTrackKind>().Select(k => new TrackLoad(k,
                    trackCells.Where(x => x.Key1 == (int)k && x.Key2 == (int)TrackStatus.Active).Sum(x => x.N),
                    trackCells.Where(x => x.Key1 == (int)k && x.Key2 == (int)TrackStatus.OnHold).Sum(x => x.N))).ToList(),
                new IntakeQueue(waiting, pastTarget, oldest),
                Caseload(loadCells, overdue, staff, filter),
                trendMonths.Where(m => m >= contactStart).Select(m => contactMonths.GetValueOrDefault(m) ?? new FirstContactMonth(m, 0, 0, null, null)).ToList(),
                Deletion(deletionCells, platforms),
                trendMonths.Select(m => new MonthTrend(
                    m,
                    monthCells[(DashboardMeasure.CasesOpened, m)].Sum(x => x.N),
                    monthCells[(DashboardMeasure.CasesClosed, m)].Sum(x => x.N),
                    monthCells[(DashboardMeasure.CasesOpened, m)].Where(x => x.IsMinor).Sum(x => x.N),
                    Enum.GetValues<CrimeType>().Where(t => filter.Crime is null || filter.Crime == t)
                        .ToDictionary(t => t, t => crimeCells[m].Where(x => x.Crime == (short)t).Sum(x => x.N)))).ToList());
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>The p-th percentile as percentile_disc defines it: the first value at or past position ceil(p × n).</summary>
    public static int? PercentileBucket(IReadOnlyList<(int Bucket, long N)> histogram, double p)
    {
        var total = histogram.Sum(h => h.N);
        if (total == 0) return null;
        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        foreach (var (bucket, n) in histogram.OrderBy(h => h.Bucket))
        {
            seen += n;
            if (seen >= rank) return bucket;
        }
        return null;
    }

    private static List<CompanionLoad> Caseload(List<Cell> cells, Dictionary<Guid, long> overdue, Dictionary<Guid, (string Name, bool IsCompanion)> staff, DashboardFilter filter)
    {
        var ids = cells.Select(x => x.CompanionId).Concat(overdue.Keys)
            .Concat(filter.CompanionId is { } only ? [only] : staff.Where(s => s.Value.IsCompanion).Select(s => s.Key))
            .Where(id => filter.CompanionId is null || id == filter.CompanionId)
            .Distinct();
        return ids.Select(id => new CompanionLoad(
                id,
                staff.TryGetValue(id, out var s) ? s.Name : "",
                cells.Where(x => x.CompanionId == id).Sum(x => x.N),
                cells.Where(x => x.CompanionId == id && x.Key2 == (int)CasePriority.Emergency).Sum(x => x.N),
                overdue.GetValueOrDefault(id)))
            .OrderByDescending(l => l.Open).ThenBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.CompanionId)
            .ToList();
    }

    private static List<PlatformDeletion> Deletion(List<Cell> cells, Dictionary<int, string> platforms)
    {
        var ids = cells.Select(x => x.Key1).Where(id => id != 0).Distinct().OrderBy(id => platforms.GetValueOrDefault(id, ""), StringComparer.Ordinal).ThenBy(id => id);
        return ids.Select(id =>
        {
            var requests = cells.Where(x => x.Measure == DashboardMeasure.DeletionRequests && x.Key1 == id).ToList();
            long Answered(ContentStatus outcome) => requests.Where(x => x.Key2 == (int)outcome + 1).Sum(x => x.N);
            var gone = cells.Where(x => x.Measure == DashboardMeasure.TimeToVerifiedGone && x.Key1 == id).GroupBy(x => x.Key2).Select(g => (g.Key, g.Sum(x => x.N))).ToList();
            var removals = cells.Where(x => x.Measure == DashboardMeasure.Removals && x.Key1 == id).ToList();
            return new PlatformDeletion(
                id,
                platforms.GetValueOrDefault(id, ""),
                requests.Sum(x => x.N),
                Answered(ContentStatus.Deleted),
                Answered(ContentStatus.Refused),
                Answered(ContentStatus.NoResponse),
                gone.Sum(x => x.Item2),
                PercentileBucket(gone, 0.5),
                PercentileBucket(gone, 0.9),
                removals.Sum(x => x.N),
                removals.Where(x => x.Key2 == 1).Sum(x => x.N));
        }).ToList();
    }

    /// <summary>Filters over waiting cases (few rows), read straight from the case table.</summary>
    private static (string Where, NpgsqlParameter[] Parameters) WaitingCases(DashboardFilter filter, bool includeCompanion)
    {
        var where = new StringBuilder();
        var parameters = new List<NpgsqlParameter>();
        if (filter.From is { } from)
        {
            where.Append(" AND \"CreatedAt\" >= @from_at");
            parameters.Add(P("from_at", StartOfKoreanMonth(from)));
        }
        if (filter.To is { } to)
        {
            where.Append(" AND \"CreatedAt\" < @to_at");
            parameters.Add(P("to_at", StartOfKoreanMonth(to.AddMonths(1))));
        }
        if (filter.Minor is { } minor)
        {
            where.Append(" AND \"IsMinor\" = @minor");
            parameters.Add(P("minor", minor));
        }
        if (filter.Crime is { } crime)
        {
            where.Append(" AND \"CrimeTypes\" @> ARRAY[@crime_name]::text[]");
            parameters.Add(P("crime_name", crime.ToString()));
        }
        if (includeCompanion && filter.CompanionId is { } companion)
        {
            where.Append(" AND \"AssignedCompanionId\" = @companion_id");
            parameters.Add(P("companion_id", companion));
        }
        return (where.ToString(), [.. parameters]);
    }

    public static DateTimeOffset StartOfKoreanMonth(DateOnly month) =>
        new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, DashboardFacts.KoreaOffset).ToUniversalTime();

    private const string CellColumns = "\"Measure\", \"Month\", \"CompanionId\", \"Crime\", \"IsMinor\", \"Key1\", \"Key2\"";

    /// <summary>
    /// First contacts per month and bucket, with how many of them were within the target for their priority: a
    /// histogram per month (a few hundred rows for twelve months) from which the median and 90th percentile are
    /// read here.
    /// </summary>
    private static NpgsqlBatchCommand FirstContactByMonth(string where, DashboardFilter filter, DashboardTargets targets, params NpgsqlParameter[] parameters)
    {
        var minor = filter.Minor is null ? "" : " AND \"IsMinor\" = @cell_minor";
        // Buckets below this index end at or before the target, so they are within it.
        int WithinBuckets(CasePriority priority) => DashboardFacts.FirstContactBounds.Count(bound => bound <= targets.HoursFor(priority) * 60);
        return CellCommand(
            $"""
            SELECT "Month", "Key2", sum("N"::int4)::bigint,
                   coalesce(sum("N"::int4) FILTER (WHERE "Key2" < CASE WHEN "Key1" = {(int)CasePriority.Emergency} THEN @within_emergency ELSE @within_other END), 0)::bigint
              FROM (SELECT "Month", "Key1", "Key2", "N" FROM "DashboardTotals" WHERE {where}{minor}
                    UNION ALL
                    SELECT "Month", "Key1", "Key2", "N" FROM "DashboardTallies" WHERE {where}{minor}) cells
             GROUP BY "Month", "Key2" HAVING sum("N"::int4) <> 0
             ORDER BY "Month", "Key2"
            """, [.. parameters, P("within_emergency", WithinBuckets(CasePriority.Emergency)), P("within_other", WithinBuckets(CasePriority.Normal)),
                  .. filter.Minor is { } m ? [P("cell_minor", m)] : Array.Empty<NpgsqlParameter>()]);
    }

    /// <summary>Sums of cells, grouped by the measure and <paramref name="groupBy"/>; the other columns come back as constants.</summary>
    private static NpgsqlBatchCommand Cells(string where, DashboardFilter filter, string[] groupBy, params NpgsqlParameter[] parameters)
    {
        var minor = filter.Minor is null ? "" : " AND \"IsMinor\" = @cell_minor";
        var defaults = new Dictionary<string, string>
        {
            ["Month"] = "DATE '2000-01-01'",
            ["CompanionId"] = "'00000000-0000-0000-0000-000000000000'::uuid",
            ["Crime"] = "-1::smallint",
            ["IsMinor"] = "false",
            ["Key1"] = "0",
            ["Key2"] = "0",
        };
        var select = string.Join(", ", defaults.Select(d => groupBy.Contains(d.Key) ? $"\"{d.Key}\"" : $"{d.Value} AS \"{d.Key}\""));
        var group = string.Join(", ", groupBy.Select(g => $"\"{g}\"").Prepend("\"Measure\""));
        return CellCommand(
            $"""
            SELECT "Measure", {select}, sum("N"::int4)::bigint FROM (
                SELECT {CellColumns}, "N" FROM "DashboardTotals" WHERE {where}{minor}
                UNION ALL
                SELECT {CellColumns}, "N" FROM "DashboardTallies" WHERE {where}{minor}) cells
            GROUP BY {group} HAVING sum("N"::int4) <> 0
            """, [.. parameters, .. filter.Minor is { } m ? [P("cell_minor", m)] : Array.Empty<NpgsqlParameter>()]);
    }

    /// <summary>
    /// A read over the cells with its values written into the SQL. Each filter combination is then its own
    /// (automatically prepared) statement planned for its values: a generic plan cannot tell "every month" from
    /// "one month" and chose a plan four times slower for the per-companion read. Only typed values (numbers, dates,
    /// ids, flags) are written in, never text.
    /// </summary>
    private static NpgsqlBatchCommand CellCommand(string sql, NpgsqlParameter[] parameters)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var values = parameters.ToDictionary(p => p.ParameterName, p => p.Value switch
        {
            Guid id => string.Create(invariant, $"'{id:D}'::uuid"),
            DateOnly date => string.Create(invariant, $"DATE '{date:yyyy-MM-dd}'"),
            bool flag => flag ? "true" : "false",
            short n => string.Create(invariant, $"({n})::smallint"),
            int n => string.Create(invariant, $"({n})"),
            var other => throw new ArgumentException($"Only typed values are written into SQL, not {other?.GetType().Name}."),
        });
        return new NpgsqlBatchCommand(System.Text.RegularExpressions.Regex.Replace(sql, @"@(\w+)", m => values[m.Groups[1].Value]));
    }

    private static NpgsqlBatchCommand Command(string sql, NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(p.Clone());
        return command;
    }

    private static async Task<List<Cell>> ReadCellsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var cells = new List<Cell>();
        while (await reader.ReadAsync(cancellationToken))
        {
            cells.Add(new Cell((DashboardMeasure)reader.GetInt16(0), reader.GetFieldValue<DateOnly>(1), reader.GetGuid(2), reader.GetInt16(3),
                reader.GetBoolean(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt64(7)));
        }
        return cells;
    }

    private static string M(DashboardMeasure measure) => ((short)measure).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static NpgsqlParameter<T> P<T>(string name, T value) => new(name, value);

    private sealed record Cell(DashboardMeasure Measure, DateOnly Month, Guid CompanionId, short Crime, bool IsMinor, int Key1, int Key2, long N);
}
