using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Dashboard;

/// <summary>
/// Keeps the dashboard's counters exact: every SaveChanges that adds, changes or removes a case, service track,
/// deletion request or content step writes signed delta rows in the same transaction as the save, computed
/// as the row's facts after the change minus its facts before (see <see cref="PortalDbContext.SaveChangesAsync(bool, CancellationToken)"/>). Each fact depends only on its own row (plus a
/// content item's fixed minor flag), and those rows carry concurrency tokens (cases: xmin; tracks, content items
/// and requests: their status), so a stale "before" can never be committed.
/// Bulk updates that bypass the change tracker (ExecuteUpdate, raw SQL) on these tables must call
/// <see cref="RebuildAsync"/> afterwards.
/// </summary>
public static class DashboardLedger
{
    /// <summary>True when the tracked changes touch anything the dashboard counts.</summary>
    internal static bool Concerns(PortalDbContext db) =>
        db.ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is Case or ServiceTrack or DeletionRequest or ContentItem);

    /// <summary>
    /// The counter deltas of the tracked changes, computed before they are saved (the original values are still
    /// known). Empty when the changes touch nothing the dashboard counts.
    /// </summary>
    internal static async Task<IReadOnlyList<(DashboardCell Cell, long N)>> DeltasAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var tracker = db.ChangeTracker;
        // The save detected the changes before calling this: each Entries() call would otherwise compare every
        // tracked row with its snapshot again (an intake tracks about thirty rows, and this method reads the entries
        // several times).
        using var detected = new DetectionPaused(tracker);
        if (!Concerns(db)) return [];

        var deltas = new Dictionary<DashboardCell, long>();
        void Count(IEnumerable<DashboardCell> cells, int sign)
        {
            foreach (var cell in cells) deltas[cell] = deltas.GetValueOrDefault(cell) + sign;
        }

        foreach (var entry in tracker.Entries<Case>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted) Count(DashboardFacts.ForCase(CaseRowOf(entry.OriginalValues)), -1);
            if (entry.State is EntityState.Modified or EntityState.Added) Count(DashboardFacts.ForCase(CaseRowOf(entry.CurrentValues)), +1);
        }
        foreach (var entry in tracker.Entries<ServiceTrack>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted) Count(DashboardFacts.ForTrack(entry.Entity.Kind, entry.OriginalValues.GetValue<TrackStatus>(nameof(ServiceTrack.Status))), -1);
            if (entry.State is EntityState.Modified or EntityState.Added) Count(DashboardFacts.ForTrack(entry.Entity.Kind, entry.Entity.Status), +1);
        }

        var minors = await MinorFlagsAsync(db, cancellationToken);
        foreach (var entry in tracker.Entries<DeletionRequest>())
        {
            var request = entry.Entity;
            var minor = minors(request, request.ContentItemId);
            if (entry.State is EntityState.Modified or EntityState.Deleted) Count(DashboardFacts.ForDeletionRequest(RequestRowOf(entry.OriginalValues), minor), -1);
            if (entry.State is EntityState.Modified or EntityState.Added) Count(DashboardFacts.ForDeletionRequest(RequestRowOf(entry.CurrentValues), minor), +1);
        }

        await CountCascadedDeletesAsync(db, Count, cancellationToken);
        return deltas.Where(d => d.Value != 0).Select(d => (d.Key, d.Value)).ToList();
    }

    /// <summary>
    /// Writes the deltas as ledger rows with one INSERT, in the caller's transaction. Not as tracked entities: an
    /// intake makes nine, and EF Core's update pipeline for them cost more than the rest of the intake's rows.
    /// </summary>
    internal static Task WriteAsync(PortalDbContext db, IReadOnlyList<(DashboardCell Cell, long N)> deltas, CancellationToken cancellationToken)
    {
        var measures = deltas.Select(d => (short)d.Cell.Measure).ToArray();
        var months = deltas.Select(d => d.Cell.Month).ToArray();
        var companions = deltas.Select(d => d.Cell.CompanionId).ToArray();
        var crimes = deltas.Select(d => d.Cell.Crime).ToArray();
        var minors = deltas.Select(d => d.Cell.IsMinor).ToArray();
        var keys1 = deltas.Select(d => d.Cell.Key1).ToArray();
        var keys2 = deltas.Select(d => d.Cell.Key2).ToArray();
        var counts = deltas.Select(d => d.N).ToArray();
        return db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "DashboardTallies" ("Measure", "Month", "CompanionId", "Crime", "IsMinor", "Key1", "Key2", "N")
            SELECT * FROM unnest({measures}, {months}, {companions}, {crimes}, {minors}, {keys1}, {keys2}, {counts})
            """,
            cancellationToken);
    }

    /// <summary>
    /// The deltas of a new case written without the change tracker (<see cref="NewCaseWriter"/>): its facts and its
    /// tracks', added as one INSERT to the case's own statements.
    /// </summary>
    internal static void AppendNewCase(InsertBatch batch, Case @case)
    {
        var deltas = new Dictionary<DashboardCell, long>();
        var row = new DashboardFacts.CaseRow(@case.Status, @case.Priority, DashboardFacts.CrimeMask(@case.CrimeTypes), @case.IsMinor,
            @case.AssignedCompanionId, @case.CreatedAt, @case.FirstContactAt, @case.ClosedAt);
        foreach (var cell in DashboardFacts.ForCase(row).Concat(@case.Tracks.SelectMany(t => DashboardFacts.ForTrack(t.Kind, t.Status))))
        {
            deltas[cell] = deltas.GetValueOrDefault(cell) + 1;
        }
        if (deltas.Count == 0) return;
        var cells = deltas.Keys;
        batch.Add(
            $"""
            INSERT INTO "DashboardTallies" ("Measure", "Month", "CompanionId", "Crime", "IsMinor", "Key1", "Key2", "N")
            SELECT * FROM unnest({batch.Parameter(cells.Select(c => (short)c.Measure).ToArray())}, {batch.Parameter(cells.Select(c => c.Month).ToArray())}, {batch.Parameter(cells.Select(c => c.CompanionId).ToArray())}, {batch.Parameter(cells.Select(c => c.Crime).ToArray())}, {batch.Parameter(cells.Select(c => c.IsMinor).ToArray())}, {batch.Parameter(cells.Select(c => c.Key1).ToArray())}, {batch.Parameter(cells.Select(c => c.Key2).ToArray())}, {batch.Parameter(deltas.Values.ToArray())})
            """);
    }

    /// <summary>Automatic change detection off until disposed, for reads of entries whose changes are already known.</summary>
    private sealed class DetectionPaused : IDisposable
    {
        private readonly ChangeTracker _tracker;
        private readonly bool _wasOn;

        public DetectionPaused(ChangeTracker tracker)
        {
            _tracker = tracker;
            _wasOn = tracker.AutoDetectChangesEnabled;
            tracker.AutoDetectChangesEnabled = false;
        }

        public void Dispose() => _tracker.AutoDetectChangesEnabled = _wasOn;
    }

    /// <summary>Throws for a synchronous save of counted changes: the ledger may need to look rows up.</summary>
    internal static void RefuseSynchronousSave(PortalDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        if (Concerns(db))
        {
            throw new InvalidOperationException("Case data is saved with SaveChangesAsync so the dashboard counters stay in the same transaction.");
        }
    }

    private static DashboardFacts.CaseRow CaseRowOf(PropertyValues values) => new(
        values.GetValue<CaseStatus>(nameof(Case.Status)),
        values.GetValue<CasePriority>(nameof(Case.Priority)),
        DashboardFacts.CrimeMask(values.GetValue<List<CrimeType>>(nameof(Case.CrimeTypes)) ?? []),
        values.GetValue<bool>(nameof(Case.IsMinor)),
        values.GetValue<Guid?>(nameof(Case.AssignedCompanionId)),
        values.GetValue<DateTimeOffset>(nameof(Case.CreatedAt)),
        values.GetValue<DateTimeOffset?>(nameof(Case.FirstContactAt)),
        values.GetValue<DateTimeOffset?>(nameof(Case.ClosedAt)));

    private static DashboardFacts.RequestRow RequestRowOf(PropertyValues values) => new(
        values.GetValue<int>(nameof(DeletionRequest.PlatformId)),
        values.GetValue<DateTimeOffset>(nameof(DeletionRequest.RequestedAt)),
        values.GetValue<ContentStatus?>(nameof(DeletionRequest.Outcome)),
        values.GetValue<DateTimeOffset?>(nameof(DeletionRequest.VerifiedGoneAt)),
        values.GetValue<DateTimeOffset?>(nameof(DeletionRequest.ReappearedAt)));

    /// <summary>
    /// The minor flag of the content item a request belongs to: from the tracked item when there is one
    /// (new items have no key yet), otherwise read once from the database (the flag never changes).
    /// </summary>
    private static async Task<Func<object, long, bool>> MinorFlagsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var byChild = new Dictionary<object, bool>(ReferenceEqualityComparer.Instance);
        var byId = new Dictionary<long, bool>();
        foreach (var item in db.ChangeTracker.Entries<ContentItem>().Select(e => e.Entity))
        {
            foreach (var request in item.Requests) byChild[request] = item.IsMinor;
            if (item.Id > 0) byId[item.Id] = item.IsMinor;
        }
        var missing = db.ChangeTracker.Entries<DeletionRequest>().Where(e => e.State != EntityState.Unchanged && !byChild.ContainsKey(e.Entity)).Select(e => e.Entity.ContentItemId)
            .Where(id => id > 0 && !byId.ContainsKey(id)).Distinct().ToList();
        if (missing.Count > 0)
        {
            foreach (var row in await db.ContentItems.AsNoTracking().Where(i => missing.Contains(i.Id)).Select(i => new { i.Id, i.IsMinor }).ToListAsync(cancellationToken))
            {
                byId[row.Id] = row.IsMinor;
            }
        }
        return (child, itemId) => byChild.TryGetValue(child, out var minor) ? minor : byId.GetValueOrDefault(itemId);
    }

    /// <summary>
    /// Deleting a case or content item removes its tracks, requests and steps by cascade in the database; the ones
    /// not loaded are read here so their counts leave with them.
    /// </summary>
    private static async Task CountCascadedDeletesAsync(PortalDbContext db, Action<IEnumerable<DashboardCell>, int> count, CancellationToken cancellationToken)
    {
        var cases = db.ChangeTracker.Entries<Case>().Where(e => e.State == EntityState.Deleted).Select(e => e.Entity.Id).ToList();
        var items = db.ChangeTracker.Entries<ContentItem>().Where(e => e.State == EntityState.Deleted).Select(e => e.Entity.Id).ToList();
        if (cases.Count == 0 && items.Count == 0) return;

        var trackedTracks = db.ChangeTracker.Entries<ServiceTrack>().Select(e => e.Entity.Id).ToHashSet();
        foreach (var track in await db.ServiceTracks.AsNoTracking().Where(t => cases.Contains(t.CaseId)).Select(t => new { t.Id, t.Kind, t.Status }).ToListAsync(cancellationToken))
        {
            if (!trackedTracks.Contains(track.Id)) count(DashboardFacts.ForTrack(track.Kind, track.Status), -1);
        }
        var itemIds = await db.ContentItems.AsNoTracking().Where(i => items.Contains(i.Id) || (i.CaseId != null && cases.Contains(i.CaseId.Value)))
            .Select(i => new { i.Id, i.IsMinor }).ToDictionaryAsync(i => i.Id, i => i.IsMinor, cancellationToken);
        var ids = itemIds.Keys.ToList();
        var trackedRequests = db.ChangeTracker.Entries<DeletionRequest>().Select(e => e.Entity.Id).ToHashSet();
        foreach (var r in await db.DeletionRequests.AsNoTracking().Where(r => ids.Contains(r.ContentItemId)).ToListAsync(cancellationToken))
        {
            if (!trackedRequests.Contains(r.Id))
            {
                count(DashboardFacts.ForDeletionRequest(new(r.PlatformId, r.RequestedAt, r.Outcome, r.VerifiedGoneAt, r.ReappearedAt), itemIds[r.ContentItemId]), -1);
            }
        }
    }

    private const string Key = "\"Measure\", \"Month\", \"CompanionId\", \"Crime\", \"IsMinor\", \"Key1\", \"Key2\"";

    /// <summary>
    /// Folds the delta rows into the totals in one transaction. Rows of transactions still running are not
    /// visible to the DELETE and stay for the next round, so no change is lost or counted twice, and readers
    /// (one statement over totals + deltas) see either all of a round or none of it.
    /// </summary>
    public static async Task<int> CompactAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        return await db.Database.ExecuteSqlRawAsync($"""
            WITH moved AS (DELETE FROM "DashboardTallies" RETURNING {Key}, "N"),
                 summed AS (SELECT {Key}, sum("N") AS "N" FROM moved GROUP BY {Key})
            INSERT INTO "DashboardTotals" ({Key}, "N")
            SELECT {Key}, "N" FROM summed WHERE "N" <> 0
            ON CONFLICT ({Key}) DO UPDATE SET "N" = "DashboardTotals"."N" + excluded."N"
            """, cancellationToken);
    }

    /// <summary>
    /// Recomputes every counter from the raw tables (after a bulk load, or to check the ledger): the same
    /// definitions as <see cref="DashboardFacts"/>, written in SQL.
    /// </summary>
    public static async Task RebuildAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await db.Database.ExecuteSqlRawAsync(RebuildSql, cancellationToken);
            return;
        }
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync(RebuildSql, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    /// <summary>The SQL recount of every cell, as (measure, month, companion, crime, minor, key1, key2, n).</summary>
    public static string RecountSql => $"""
        WITH
        c AS (
            SELECT "Status", "Priority", "IsMinor", "AssignedCompanionId", "CreatedAt", "FirstContactAt", "ClosedAt", "CrimeTypes",
                   {Month("\"CreatedAt\"")} AS created_month
            FROM "Cases"),
        case_facts AS (
            SELECT {(short)DashboardMeasure.CasesOpened}::smallint AS measure, created_month AS month, "AssignedCompanionId" AS companion, "CrimeTypes" AS crimes, "IsMinor" AS minor, 0 AS key1, 0 AS key2 FROM c
            UNION ALL
            SELECT {(short)DashboardMeasure.CasesClosed}, {Month("\"ClosedAt\"")}, "AssignedCompanionId", "CrimeTypes", "IsMinor",
                   CASE WHEN "Status" = 'Closed' THEN 0 ELSE 1 END, 0
              FROM c WHERE "Status" IN ('Closed', 'Withdrawn') AND "ClosedAt" IS NOT NULL
            UNION ALL
            SELECT {(short)DashboardMeasure.OpenCases}, created_month, "AssignedCompanionId", "CrimeTypes", "IsMinor",
                   {Ordinal<CaseStatus>("\"Status\"")}, {Ordinal<CasePriority>("\"Priority\"")}
              FROM c WHERE "Status" NOT IN ('Closed', 'Withdrawn')
            UNION ALL
            SELECT {(short)DashboardMeasure.OpenCaseload}, DATE '{DashboardFacts.NoMonth:yyyy-MM-dd}', "AssignedCompanionId", "CrimeTypes", "IsMinor",
                   {Ordinal<CaseStatus>("\"Status\"")}, {Ordinal<CasePriority>("\"Priority\"")}
              FROM c WHERE "Status" NOT IN ('Closed', 'Withdrawn')
            UNION ALL
            SELECT {(short)DashboardMeasure.FirstContact}, created_month, "AssignedCompanionId", "CrimeTypes", "IsMinor",
                   {Ordinal<CasePriority>("\"Priority\"")},
                   width_bucket(floor(greatest(0, extract(epoch FROM "FirstContactAt" - "CreatedAt")) / 60)::int,
                                ARRAY[{string.Join(", ", DashboardFacts.FirstContactBounds)}])
              FROM c WHERE "FirstContactAt" IS NOT NULL),
        case_cells AS (
            SELECT f.measure, f.month, comp.id AS companion, cr.crime, f.minor, f.key1, f.key2
              FROM case_facts f
             CROSS JOIN LATERAL (SELECT '00000000-0000-0000-0000-000000000000'::uuid AS id
                                 UNION ALL SELECT f.companion WHERE f.companion IS NOT NULL) comp
             CROSS JOIN LATERAL (SELECT {DashboardFacts.AllCrimes}::smallint AS crime
                                 UNION ALL SELECT DISTINCT ({Ordinal<CrimeType>("t")})::smallint FROM unnest(f.crimes) t) cr),
        deletion_cells AS (
            SELECT {(short)DashboardMeasure.DeletionRequests}::smallint AS measure, {Month("r.\"RequestedAt\"")} AS month,
                   '00000000-0000-0000-0000-000000000000'::uuid AS companion, {DashboardFacts.AllCrimes}::smallint AS crime,
                   i."IsMinor" AS minor, r."PlatformId" AS key1, CASE WHEN r."Outcome" IS NULL THEN 0 ELSE {Ordinal<ContentStatus>("r.\"Outcome\"")} + 1 END AS key2
              FROM "DeletionRequests" r JOIN "ContentItems" i ON i."Id" = r."ContentItemId"
            UNION ALL
            SELECT {(short)DashboardMeasure.TimeToVerifiedGone}, {Month("r.\"RequestedAt\"")}, '00000000-0000-0000-0000-000000000000'::uuid, {DashboardFacts.AllCrimes},
                   i."IsMinor", r."PlatformId",
                   width_bucket(floor(greatest(0, extract(epoch FROM r."VerifiedGoneAt" - r."RequestedAt")) / 3600)::int,
                                ARRAY[{string.Join(", ", DashboardFacts.GoneHoursBounds)}])
              FROM "DeletionRequests" r JOIN "ContentItems" i ON i."Id" = r."ContentItemId"
             WHERE r."VerifiedGoneAt" IS NOT NULL
            UNION ALL
            SELECT {(short)DashboardMeasure.Removals}, {Month("r.\"RequestedAt\"")}, '00000000-0000-0000-0000-000000000000'::uuid, {DashboardFacts.AllCrimes},
                   i."IsMinor", r."PlatformId", CASE WHEN r."ReappearedAt" IS NULL THEN 0 ELSE 1 END
              FROM "DeletionRequests" r JOIN "ContentItems" i ON i."Id" = r."ContentItemId"
             WHERE r."Outcome" = 'Deleted' OR r."VerifiedGoneAt" IS NOT NULL),
        other_cells AS (
            SELECT {(short)DashboardMeasure.OpenTracks}::smallint AS measure, DATE '{DashboardFacts.NoMonth:yyyy-MM-dd}' AS month,
                   '00000000-0000-0000-0000-000000000000'::uuid AS companion, {DashboardFacts.AllCrimes}::smallint AS crime, false AS minor,
                   {Ordinal<ServiceTrackKind>("\"Kind\"")} AS key1, {Ordinal<TrackStatus>("\"Status\"")} AS key2
              FROM "ServiceTracks" WHERE "Status" IN ('Active', 'OnHold')
            UNION ALL
            SELECT * FROM deletion_cells
            UNION ALL
            SELECT measure, DATE '{DashboardFacts.NoMonth:yyyy-MM-dd}', companion, crime, minor, key1, key2 FROM deletion_cells)
        SELECT measure, month, companion, crime, minor, key1, key2, count(*) AS n
          FROM (SELECT * FROM case_cells UNION ALL SELECT * FROM other_cells) cells
         GROUP BY measure, month, companion, crime, minor, key1, key2
        """;

    /// <summary>Empties the counters and recounts them (also run by migrations that add a figure, and by bulk loads).</summary>
    public static string RebuildSql => $"""
        LOCK TABLE "DashboardTallies", "DashboardTotals" IN EXCLUSIVE MODE;
        DELETE FROM "DashboardTallies";
        DELETE FROM "DashboardTotals";
        INSERT INTO "DashboardTotals" ({Key}, "N")
        {RecountSql};
        """;

    /// <summary>Korean calendar month of a timestamptz column, as a date (first of the month).</summary>
    private static string Month(string column) => $"date_trunc('month', ({column} AT TIME ZONE 'UTC') + interval '9 hours')::date";

    /// <summary>An enum stored by name, as its number.</summary>
    private static string Ordinal<TEnum>(string column) where TEnum : struct, Enum =>
        $"(array_position(ARRAY[{string.Join(", ", Enum.GetNames<TEnum>().Select(n => $"'{n}'"))}]::text[], {column}::text) - 1)";
}
