using Npgsql;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Tests.Dashboard;

/// <summary>
/// Plain SQL over the raw case tables, written independently of the dashboard's counters, and compared with what
/// the dashboard shows. Also compares every maintained cell with <see cref="DashboardLedger.RecountSql"/>.
/// </summary>
internal static class DashboardRecount
{
    public static async Task AssertCellsMatchRawTablesAsync(string connectionString)
    {
        var maintained = await RowsAsync(connectionString, """
            SELECT "Measure", "Month", "CompanionId", "Crime", "IsMinor", "Key1", "Key2", sum("N")::bigint FROM (
              SELECT "Measure", "Month", "CompanionId", "Crime", "IsMinor", "Key1", "Key2", "N" FROM "DashboardTotals"
              UNION ALL SELECT "Measure", "Month", "CompanionId", "Crime", "IsMinor", "Key1", "Key2", "N" FROM "DashboardTallies") t
            GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum("N") <> 0
            """);
        var recounted = await RowsAsync(connectionString, DashboardLedger.RecountSql);
        maintained.Count.ShouldBeGreaterThan(0);
        maintained.Missing(recounted).ShouldBeEmpty("maintained but not in the recount");
        recounted.Missing(maintained).ShouldBeEmpty("in the recount but not maintained");
    }

    public static async Task AssertFiguresMatchRawTablesAsync(string connectionString, DashboardFigures figures, DashboardFilter filter, DashboardTargets targets)
    {
        var where = new List<string>();
        if (filter.From is { } from) where.Add($"\"CreatedAt\" >= '{DashboardQueries.StartOfKoreanMonth(from):O}'");
        if (filter.To is { } to) where.Add($"\"CreatedAt\" < '{DashboardQueries.StartOfKoreanMonth(to.AddMonths(1)):O}'");
        if (filter.CompanionId is { } companion) where.Add($"\"AssignedCompanionId\" = '{companion}'");
        if (filter.Crime is { } crime) where.Add($"'{crime}' = ANY(\"CrimeTypes\")");
        if (filter.Minor is { } minor) where.Add($"\"IsMinor\" = {minor}");
        var cases = where.Count == 0 ? "TRUE" : string.Join(" AND ", where);
        var kstMonth = "to_char(({0} AT TIME ZONE 'Asia/Seoul'), 'YYYY-MM')";

        // Open cases by status and priority
        var byStatus = await PairsAsync(connectionString, $"SELECT \"Status\", count(*) FROM \"Cases\" WHERE {cases} AND \"Status\" NOT IN ('Closed', 'Withdrawn') GROUP BY 1");
        foreach (var (status, n) in figures.OpenByStatus) n.ShouldBe(byStatus.GetValueOrDefault(status.ToString()), $"open {status}");
        var byPriority = await PairsAsync(connectionString, $"SELECT \"Priority\", count(*) FROM \"Cases\" WHERE {cases} AND \"Status\" NOT IN ('Closed', 'Withdrawn') GROUP BY 1");
        foreach (var (priority, n) in figures.OpenByPriority) n.ShouldBe(byPriority.GetValueOrDefault(priority.ToString()), $"open {priority}");

        // Service tracks (all cases)
        var tracks = await PairsAsync(connectionString, "SELECT \"Kind\" || ':' || \"Status\", count(*) FROM \"ServiceTracks\" GROUP BY 1");
        foreach (var t in figures.OpenTracks)
        {
            t.Active.ShouldBe(tracks.GetValueOrDefault($"{t.Kind}:Active"), $"{t.Kind} active");
            t.OnHold.ShouldBe(tracks.GetValueOrDefault($"{t.Kind}:OnHold"), $"{t.Kind} on hold");
        }

        // Intake queue
        var cutNormal = figures.At.AddHours(-targets.FirstContactHours);
        var cutEmergency = figures.At.AddHours(-targets.EmergencyFirstContactHours);
        var queueCases = cases.Replace($" AND \"AssignedCompanionId\" = '{filter.CompanionId}'", "", StringComparison.Ordinal)
            .Replace($"\"AssignedCompanionId\" = '{filter.CompanionId}'", "TRUE", StringComparison.Ordinal);
        var queue = await PairsAsync(connectionString, $"""
            SELECT 'waiting', count(*) FROM "Cases" WHERE {queueCases} AND "AssignedCompanionId" IS NULL AND "Status" IN ('New', 'Triaged')
            UNION ALL
            SELECT 'late', count(*) FROM "Cases" WHERE {queueCases} AND "AssignedCompanionId" IS NULL AND "Status" IN ('New', 'Triaged')
               AND "CreatedAt" < CASE WHEN "Priority" = 'Emergency' THEN '{cutEmergency:O}'::timestamptz ELSE '{cutNormal:O}'::timestamptz END
            """);
        figures.Queue.Waiting.ShouldBe(queue["waiting"]);
        figures.Queue.PastTarget.ShouldBe(queue["late"]);
        figures.Queue.Oldest.Count.ShouldBe((int)Math.Min(queue["waiting"], DashboardQueries.QueueListLength));

        // Caseload per companion
        var open = await PairsAsync(connectionString, $"SELECT \"AssignedCompanionId\"::text, count(*) FROM \"Cases\" WHERE {cases} AND \"AssignedCompanionId\" IS NOT NULL AND \"Status\" NOT IN ('Closed', 'Withdrawn') GROUP BY 1");
        var emergency = await PairsAsync(connectionString, $"SELECT \"AssignedCompanionId\"::text, count(*) FROM \"Cases\" WHERE {cases} AND \"AssignedCompanionId\" IS NOT NULL AND \"Status\" NOT IN ('Closed', 'Withdrawn') AND \"Priority\" = 'Emergency' GROUP BY 1");
        var overdue = await PairsAsync(connectionString, $"""
            SELECT "AssignedCompanionId"::text, count(*) FROM "Cases" WHERE {cases} AND "AssignedCompanionId" IS NOT NULL
               AND "Status" NOT IN ('Closed', 'Withdrawn', 'New', 'Triaged') AND "FirstContactAt" IS NULL
               AND "CreatedAt" < CASE WHEN "Priority" = 'Emergency' THEN '{cutEmergency:O}'::timestamptz ELSE '{cutNormal:O}'::timestamptz END
             GROUP BY 1
            """);
        foreach (var id in open.Keys.Concat(overdue.Keys)) figures.Caseload.ShouldContain(c => c.CompanionId.ToString() == id);
        foreach (var load in figures.Caseload)
        {
            var id = load.CompanionId.ToString();
            load.Open.ShouldBe(open.GetValueOrDefault(id), $"open of {id}");
            load.Emergency.ShouldBe(emergency.GetValueOrDefault(id), $"emergency of {id}");
            load.OverdueContacts.ShouldBe(overdue.GetValueOrDefault(id), $"overdue of {id}");
        }

        // Monthly trends
        var opened = await PairsAsync(connectionString, $"SELECT {string.Format(kstMonth, "\"CreatedAt\"")}, count(*) FROM \"Cases\" WHERE {cases} GROUP BY 1");
        var minors = await PairsAsync(connectionString, $"SELECT {string.Format(kstMonth, "\"CreatedAt\"")}, count(*) FROM \"Cases\" WHERE {cases} AND \"IsMinor\" GROUP BY 1");
        var closedWhere = cases.Replace("\"CreatedAt\"", "\"ClosedAt\"", StringComparison.Ordinal);
        var closed = await PairsAsync(connectionString, $"SELECT {string.Format(kstMonth, "\"ClosedAt\"")}, count(*) FROM \"Cases\" WHERE {closedWhere} AND \"Status\" IN ('Closed', 'Withdrawn') GROUP BY 1");
        var crimes = await PairsAsync(connectionString, $"SELECT {string.Format(kstMonth, "\"CreatedAt\"")} || ':' || t, count(*) FROM \"Cases\", unnest(\"CrimeTypes\") t WHERE {cases} GROUP BY 1");
        figures.Trends.Sum(m => m.Opened).ShouldBeGreaterThan(0);
        foreach (var m in figures.Trends)
        {
            var month = m.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            m.Opened.ShouldBe(opened.GetValueOrDefault(month), $"opened {month}");
            m.Closed.ShouldBe(closed.GetValueOrDefault(month), $"closed {month}");
            m.Minors.ShouldBe(minors.GetValueOrDefault(month), $"minors {month}");
            foreach (var (type, n) in m.ByCrime) n.ShouldBe(crimes.GetValueOrDefault($"{month}:{type}"), $"{type} {month}");
        }

        // First contact: count, within target, and percentile_disc mapped to its bucket
        var contact = await RowsAsync(connectionString, $"""
            SELECT {string.Format(kstMonth, "\"CreatedAt\"")}, count(*),
                   count(*) FILTER (WHERE "FirstContactAt" - "CreatedAt" < CASE WHEN "Priority" = 'Emergency' THEN interval '{targets.EmergencyFirstContactHours} hours' ELSE interval '{targets.FirstContactHours} hours' END),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY floor(greatest(0, extract(epoch FROM "FirstContactAt" - "CreatedAt")) / 60)),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY floor(greatest(0, extract(epoch FROM "FirstContactAt" - "CreatedAt")) / 60))
              FROM "Cases" WHERE {cases} AND "FirstContactAt" IS NOT NULL GROUP BY 1
            """);
        foreach (var m in figures.FirstContact)
        {
            var month = m.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var row = contact.SingleOrDefault(r => (string?)r[0] == month);
            m.Contacted.ShouldBe(row is null ? 0 : Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture), $"contacted {month}");
            if (row is null) continue;
            m.WithinTarget.ShouldBe(Convert.ToInt64(row[2], System.Globalization.CultureInfo.InvariantCulture), $"within target {month}");
            m.MedianBucket.ShouldBe(BucketOf(Convert.ToInt64(row[3], System.Globalization.CultureInfo.InvariantCulture)), $"median {month}");
            m.P90Bucket.ShouldBe(BucketOf(Convert.ToInt64(row[4], System.Globalization.CultureInfo.InvariantCulture)), $"p90 {month}");
        }

        // Deletion by platform (date range by request or step month, minor filter by the item)
        var itemWhere = filter.Minor is { } itemMinor ? $"i.\"IsMinor\" = {itemMinor}" : "TRUE";
        string Range(string column) =>
            (filter.From is { } f ? $" AND {column} >= '{DashboardQueries.StartOfKoreanMonth(f):O}'" : "") +
            (filter.To is { } t ? $" AND {column} < '{DashboardQueries.StartOfKoreanMonth(t.AddMonths(1)):O}'" : "");
        var deletion = (await RowsAsync(connectionString, $"""
            SELECT r."PlatformId"::text, count(*),
                   count(*) FILTER (WHERE r."Outcome" = 'Deleted'), count(*) FILTER (WHERE r."Outcome" = 'Refused'), count(*) FILTER (WHERE r."Outcome" = 'NoResponse'),
                   count(r."VerifiedGoneAt"),
                   percentile_disc(0.5) WITHIN GROUP (ORDER BY floor(greatest(0, extract(epoch FROM r."VerifiedGoneAt" - r."RequestedAt")) / 3600)) FILTER (WHERE r."VerifiedGoneAt" IS NOT NULL),
                   percentile_disc(0.9) WITHIN GROUP (ORDER BY floor(greatest(0, extract(epoch FROM r."VerifiedGoneAt" - r."RequestedAt")) / 3600)) FILTER (WHERE r."VerifiedGoneAt" IS NOT NULL),
                   count(*) FILTER (WHERE r."Outcome" = 'Deleted' OR r."VerifiedGoneAt" IS NOT NULL),
                   count(*) FILTER (WHERE (r."Outcome" = 'Deleted' OR r."VerifiedGoneAt" IS NOT NULL) AND r."ReappearedAt" IS NOT NULL)
              FROM "DeletionRequests" r JOIN "ContentItems" i ON i."Id" = r."ContentItemId" WHERE {itemWhere}{Range("r.\"RequestedAt\"")} GROUP BY 1
            """)).ToDictionary(r => (string)r[0]!);
        foreach (var id in deletion.Keys) figures.Deletion.ShouldContain(p => p.PlatformId.ToString() == id);
        long N(object?[]? row, int column) => row?[column] is { } v ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : 0;
        foreach (var p in figures.Deletion)
        {
            var row = deletion.GetValueOrDefault(p.PlatformId.ToString());
            p.Requests.ShouldBe(N(row, 1), $"requests {p.Platform}");
            p.Deleted.ShouldBe(N(row, 2), $"deleted {p.Platform}");
            p.Refused.ShouldBe(N(row, 3), $"refused {p.Platform}");
            p.NoResponse.ShouldBe(N(row, 4), $"no response {p.Platform}");
            p.VerifiedGone.ShouldBe(N(row, 5), $"verified gone {p.Platform}");
            p.MedianGoneBucket.ShouldBe(row?[6] is null ? null : GoneBucketOf(N(row, 6)), $"median to verified gone {p.Platform}");
            p.P90GoneBucket.ShouldBe(row?[7] is null ? null : GoneBucketOf(N(row, 7)), $"p90 to verified gone {p.Platform}");
            p.Removed.ShouldBe(N(row, 8), $"removed {p.Platform}");
            p.ReappearedAfterRemoval.ShouldBe(N(row, 9), $"reappeared after removal {p.Platform}");
        }
    }

    private static int GoneBucketOf(long hours) => DashboardFacts.GoneHoursBounds.Count(b => b <= hours);

    private static int BucketOf(long minutes) => DashboardFacts.FirstContactBounds.Count(b => b <= minutes);

    private static async Task<Dictionary<string, long>> PairsAsync(string connectionString, string sql) =>
        (await RowsAsync(connectionString, sql)).ToDictionary(r => r[0]?.ToString() ?? "", r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<List<object?[]>> RowsAsync(string connectionString, string sql)
    {
        var rows = new List<object?[]>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Rows compare by value (the arrays are turned into strings).</summary>
    private static IEnumerable<string> Missing(this List<object?[]> rows, List<object?[]> other)
    {
        var set = other.Select(Key).ToHashSet();
        return rows.Select(Key).Where(k => !set.Contains(k));
    }

    private static string Key(object?[] row) => string.Join("|", row.Select(v => v switch
    {
        DateTime d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        null => "",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
    }));
}
