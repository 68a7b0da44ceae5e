using System.Diagnostics;
using System.Globalization;
using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Seeder;

/// <summary>
/// Fills a local database with years of realistic case volume for measuring the portal (<c>OnSeoulSafe.Seeder --cases N</c>,
/// run by <c>./build.sh seed --cases N</c>): cases with tracks, timeline, content links, deletion requests and
/// their steps, written with PostgreSQL binary COPY, then the dashboard counters rebuilt from what was written.
/// Only loopback databases, and only an empty one unless <c>--append</c>.
/// </summary>
public sealed class VolumeSeeder(IServiceProvider services, PortalDbContext db, UserManager<StaffMember> users, FieldCipher cipher, TimeProvider clock, ILogger<VolumeSeeder> logger)
{
    private const int Chunk = 20_000;
    private const int Years = 4;

    private static readonly (CrimeType Type, double Weight)[] CrimeWeights =
    [
        (CrimeType.IllegalFilming, 0.24), (CrimeType.DistributionWithoutConsent, 0.22), (CrimeType.Redistribution, 0.12),
        (CrimeType.ThreatToDistribute, 0.18), (CrimeType.DeepfakeComposite, 0.12), (CrimeType.OnlineSexualHarassment, 0.08),
        (CrimeType.OnlineGrooming, 0.04),
    ];

    private static readonly (string Name, string Host, double Weight, int TypicalDays)[] PlatformSpecs =
    [
        ("ExampleTube", "video.example.com", 0.22, 3), ("ExampleSocial", "social.example.net", 0.20, 5),
        ("ExampleChat", "chat.example.org", 0.14, 9), ("ExampleBoard", "board.example.com", 0.12, 14),
        ("ExampleClips", "clips.example.net", 0.10, 4), ("ExampleStream", "stream.example.org", 0.08, 7),
        ("ExampleCloud", "files.example.com", 0.06, 20), ("ExampleForum", "forum.example.net", 0.05, 30),
        ("ExamplePics", "pics.example.org", 0.03, 10),
    ];

    public sealed record Result(int Cases, long Tracks, long TimelineEvents, long ContentItems, long DeletionRequests, int IndexesRebuilt, TimeSpan Elapsed);

    /// <summary>
    /// A load of at least this many cases, and no smaller than what the tables hold, writes into bare tables and
    /// builds their secondary indexes once at the end. Tests lower it to exercise that path with a small load.
    /// </summary>
    internal int DeferIndexesFrom { get; set; } = 50_000;

    public static bool IsLoopback(string connectionString)
    {
        var host = new NpgsqlConnectionStringBuilder(connectionString).Host ?? "";
        return host.Split(',').All(h => h.Trim() is "127.0.0.1" or "localhost" or "::1" or "[::1]");
    }

    public async Task<Result> SeedAsync(int cases, bool append, int seed, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cases);
        // Bulk loading moves sequences (setval) and runs ANALYZE: the owner's work, not the portal role's.
        var connectionString = PortalDatabase.OwnerConnectionString(services.GetRequiredService<IConfiguration>());
        if (!IsLoopback(connectionString))
        {
            throw new InvalidOperationException("The volume generator only writes to a database on this machine (127.0.0.1, localhost or ::1).");
        }
        if (!append && await db.Cases.AnyAsync(cancellationToken))
        {
            throw new InvalidOperationException("The database already holds cases: use an empty database, or pass --append to add to it.");
        }
        var watch = Stopwatch.StartNew();
        var random = new Randomizer(seed);
        var now = clock.GetUtcNow();
        var companions = await CompanionsAsync(Math.Clamp(cases / 25_000, 8, 40), cancellationToken);
        var platforms = await PlatformsAsync(cancellationToken);

        // Free text is a neutral placeholder, encrypted for each row in the bound format the portal reads (a value
        // in the old format, or one shared by several rows, is refused on read); about a microsecond a value.
        var narrative = (string caseId) => cipher.Encrypt("(generated case for load measurement: no real narrative)", new FieldPlace("Narratives", "Text", caseId));
        var url = (string caseId) => cipher.Encrypt("https://content.example.invalid/generated", new FieldPlace("ContentItems", "Url", caseId));
        var accessCodeHash = new byte[32];

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // The whole load is one transaction: a crash or Ctrl+C leaves the database as it was, never half a load.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Generated rows reference each other correctly by construction, so the per-row foreign-key triggers are
        // skipped (an owner that is not a superuser keeps them). The commit stays synchronous: VACUUM cannot mark a
        // page all-visible while the commit that wrote its rows is not yet on disk, and the dashboard's index-only
        // scans need those marks.
        await ExecuteAsync(connection, "SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);
        if (await ScalarAsync(connection, "SELECT CASE WHEN rolsuper THEN 1 ELSE 0 END FROM pg_roles WHERE rolname = current_user", cancellationToken) == 1)
        {
            await ExecuteAsync(connection, "SET LOCAL session_replication_role = replica", cancellationToken);
        }
        var firstCase = await ScalarAsync(connection, "SELECT greatest(coalesce(max(\"Id\"), 0), (SELECT last_value FROM case_numbers)) + 1 FROM \"Cases\"", cancellationToken);
        var ids = new Ids(
            await NextIdAsync(connection, "ServiceTracks", cancellationToken), await NextIdAsync(connection, "TimelineEvents", cancellationToken),
            await NextIdAsync(connection, "ContentItems", cancellationToken), await NextIdAsync(connection, "ContentItemEvents", cancellationToken),
            await NextIdAsync(connection, "DeletionRequests", cancellationToken));

        // A large load is faster written into bare tables and indexed once at the end than kept indexed row by row.
        var existing = await ScalarAsync(connection, "SELECT count(*) FROM \"Cases\"", cancellationToken);
        var deferred = cases >= DeferIndexesFrom && cases >= existing ? await DropSecondaryIndexesAsync(connection, cancellationToken) : [];

        long tracks = 0, timeline = 0, items = 0, requests = 0;
        // The next chunk is generated on another thread while the current one streams into PostgreSQL.
        Batch Generate(int start)
        {
            var batch = new Batch();
            for (var i = start; i < Math.Min(cases, start + Chunk); i++)
            {
                GenerateCase(batch, ids, random, firstCase + i, now, companions, platforms);
            }
            return batch;
        }
        var next = Task.Run(() => Generate(0), cancellationToken);
        for (var start = 0; start < cases; start += Chunk)
        {
            var batch = await next;
            if (start + Chunk < cases)
            {
                var following = start + Chunk;
                next = Task.Run(() => Generate(following), cancellationToken);
            }
            await batch.WriteAsync(connection, narrative, url, accessCodeHash, cancellationToken);
            tracks += batch.Tracks.Count;
            timeline += batch.Timeline.Count;
            items += batch.Items.Count;
            requests += batch.Requests.Count;
            logger.LogInformation("Generated {Done} of {Total} cases ({Seconds:N0} s)", Math.Min(cases, start + Chunk), cases, watch.Elapsed.TotalSeconds);
        }

        if (deferred.Count > 0)
        {
            logger.LogInformation("Building {Count} indexes", deferred.Count);
            foreach (var definition in deferred) await ExecuteAsync(connection, definition, cancellationToken);
        }
        await ExecuteAsync(connection, $"SELECT setval('case_numbers', {firstCase + cases - 1})", cancellationToken);
        foreach (var (table, last) in new[] { ("ServiceTracks", ids.Track), ("TimelineEvents", ids.Timeline), ("ContentItems", ids.Item), ("ContentItemEvents", ids.Step), ("DeletionRequests", ids.Request) })
        {
            await ExecuteAsync(connection, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), {Math.Max(1, last - 1)})", cancellationToken);
        }
        logger.LogInformation("Rebuilding the dashboard counters from the raw tables ({Seconds:N0} s)", watch.Elapsed.TotalSeconds);
        await ExecuteAsync(connection, DashboardLedger.RebuildSql, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Analyzing and vacuuming ({Seconds:N0} s)", watch.Elapsed.TotalSeconds);
        await ExecuteAsync(connection, "ANALYZE", cancellationToken);
        // The dashboard reads by index-only scans: its counters, and the partial indexes of waiting cases.
        await MarkAllVisibleAsync(connection, "DashboardTotals", cancellationToken);
        await MarkAllVisibleAsync(connection, "Cases", cancellationToken);
        return new Result(cases, tracks, timeline, items, requests, deferred.Count, watch.Elapsed);
    }

    private sealed class Ids(long track, long timeline, long item, long step, long request)
    {
        public long Track = track;
        public long Timeline = timeline;
        public long Item = item;
        public long Step = step;
        public long Request = request;
    }

    private static void GenerateCase(Batch batch, Ids ids, Randomizer random, long id, DateTimeOffset now, IReadOnlyList<Guid> companions, IReadOnlyList<(int Id, int TypicalDays, double Weight)> platforms)
    {
        // Intake grows a little year on year: more recent months are somewhat busier.
        var ageDays = Years * 365.0 * Math.Pow(random.Double(), 1.15);
        var created = Truncate(now.AddDays(-ageDays));
        var crimes = new List<CrimeType> { Weighted(random, CrimeWeights) };
        if (random.Double() < 0.35) crimes.Add(Weighted(random, CrimeWeights));
        crimes = crimes.Distinct().Order().ToList();
        var minor = random.Double() < 0.15;
        var selfHarm = random.Double() < 0.06;
        var threats = random.Double() < (crimes.Contains(CrimeType.ThreatToDistribute) ? 0.5 : 0.08);
        var knowsAddress = random.Double() < 0.05;
        var priority = minor || selfHarm || threats || knowsAddress ? CasePriority.Emergency
            : crimes.Contains(CrimeType.ThreatToDistribute) ? CasePriority.High : CasePriority.Normal;

        // Most cases are assigned within hours; emergencies faster. Nearly every old case is closed.
        var assignDelayHours = priority == CasePriority.Emergency ? random.Double() * 1.5 : random.Double() * 20;
        var assignedAt = created.AddHours(assignDelayHours);
        var assigned = assignedAt < now;
        var companion = assigned ? companions[random.Number(0, companions.Count - 1)] : (Guid?)null;
        var contactMinutes = (priority == CasePriority.Emergency ? 50 : 420) * Math.Exp(random.Double() * 2.2 - 1.1) * (random.Double() < 0.1 ? 4 : 1);
        var firstContact = assigned && assignedAt.AddMinutes(contactMinutes / 3) < now ? Truncate(created.AddMinutes(contactMinutes)) : (DateTimeOffset?)null;
        if (firstContact > now) firstContact = null;
        var closeAfterDays = 10 + random.Double() * 150;
        var status = !assigned ? CaseStatus.Triaged : firstContact is null ? CaseStatus.Assigned : CaseStatus.InProgress;
        DateTimeOffset? closed = null;
        if (firstContact is not null && created.AddDays(closeAfterDays) < now && random.Double() < 0.985)
        {
            closed = Truncate(created.AddDays(closeAfterDays));
            status = random.Double() < 0.05 ? CaseStatus.Withdrawn : CaseStatus.Closed;
        }
        batch.Cases.Add(new CaseRow(id, CaseReference.Legacy(created.ToOffset(DashboardFacts.KoreaOffset).Year, id), status, priority, crimes, minor,
            Guid.NewGuid(), companion, created, assigned ? Truncate(assignedAt) : null, firstContact, closed,
            closed is null ? null : status == CaseStatus.Closed ? CaseOutcome.Resolved : null, selfHarm, threats, knowsAddress, random.Bool(0.2f) ? "en" : "ko"));

        var startedTracks = new List<(ServiceTrackKind Kind, DateTimeOffset At)>();
        foreach (var kind in Enum.GetValues<ServiceTrackKind>())
        {
            var used = kind == ServiceTrackKind.Deletion ? 0.7 : kind == ServiceTrackKind.Investigation ? 0.5 : 0.2;
            var trackStatus = !assigned || random.Double() > used ? TrackStatus.NotStarted
                : closed is not null ? (random.Double() < 0.9 ? TrackStatus.Completed : TrackStatus.Declined)
                : random.Double() < 0.85 ? TrackStatus.Active : TrackStatus.OnHold;
            var started = trackStatus == TrackStatus.NotStarted ? (DateTimeOffset?)null : Truncate(assignedAt.AddHours(2));
            batch.Tracks.Add(new TrackRow(ids.Track++, id, kind, trackStatus, trackStatus == TrackStatus.NotStarted ? null : companion, started,
                trackStatus == TrackStatus.Completed ? closed : null, closed ?? started ?? created));
            if (started is { } startedAt) startedTracks.Add((kind, startedAt));
        }

        batch.Timeline.Add(new EventRow(ids.Timeline++, id, TimelineEventKind.CaseOpened, created, null, null, null));
        batch.Timeline.Add(new EventRow(ids.Timeline++, id, TimelineEventKind.Triaged, created, null, null, priority.ToString()));
        if (assigned) batch.Timeline.Add(new EventRow(ids.Timeline++, id, TimelineEventKind.Assigned, Truncate(assignedAt), companion, null, null));
        foreach (var (kind, at) in startedTracks)
        {
            batch.Timeline.Add(new EventRow(ids.Timeline++, id, TimelineEventKind.TrackStatusChanged, at, companion, kind, nameof(TrackStatus.Active)));
        }
        if (firstContact is { } contact) batch.Timeline.Add(new EventRow(ids.Timeline++, id, TimelineEventKind.Call, contact, companion, ServiceTrackKind.Investigation, null));
        if (closed is { } closedAt) batch.Timeline.Add(new EventRow(ids.Timeline++, id, TimelineEventKind.StatusChanged, closedAt, companion, null, status == CaseStatus.Closed ? "Closed:Resolved" : "Withdrawn"));

        var itemCount = random.Double() < 0.08 ? 0 : random.Number(1, 10);
        for (var n = 0; n < itemCount; n++)
        {
            var platform = Weighted(random, platforms.Select(p => (p, p.Weight)).ToArray());
            var found = Truncate(created.AddHours(random.Double() * 72));
            if (found > now) found = Truncate(now);
            var itemId = ids.Item++;
            batch.Steps.Add(new StepRow(ids.Step++, itemId, ContentStatus.Found, ContentStatus.Found, found, platform.Id));
            var itemStatus = ContentStatus.Found;
            var changed = found;
            var requestedAt = Truncate(found.AddHours(1 + random.Double() * 30));
            if (assigned && requestedAt < now && random.Double() < 0.96)
            {
                itemStatus = ContentStatus.Requested;
                changed = requestedAt;
                batch.Steps.Add(new StepRow(ids.Step++, itemId, ContentStatus.Found, ContentStatus.Requested, requestedAt, platform.Id));
                // About 71 % of requested links are eventually deleted; the rest are refused, unanswered or still pending.
                var answeredAt = Truncate(requestedAt.AddDays(platform.TypicalDays * Math.Exp(random.Double() * 2 - 1) * random.Double() * 2));
                ContentStatus? outcome = null;
                DateTimeOffset? resolved = null, goneAt = null, backAt = null;
                if (answeredAt < now)
                {
                    var roll = random.Double();
                    outcome = roll < 0.712 ? ContentStatus.Deleted : roll < 0.85 ? ContentStatus.Refused : ContentStatus.NoResponse;
                    resolved = answeredAt;
                    batch.Steps.Add(new StepRow(ids.Step++, itemId, ContentStatus.Requested, outcome.Value, answeredAt, platform.Id));
                    itemStatus = outcome.Value;
                    changed = answeredAt;
                    if (outcome == ContentStatus.Deleted)
                    {
                        var checkedAt = Truncate(answeredAt.AddDays(7));
                        if (checkedAt < now)
                        {
                            var reappeared = random.Double() < 0.06;
                            var to = reappeared ? ContentStatus.Reappeared : ContentStatus.VerifiedGone;
                            batch.Steps.Add(new StepRow(ids.Step++, itemId, ContentStatus.Deleted, to, checkedAt, platform.Id));
                            if (reappeared) backAt = checkedAt;
                            else goneAt = checkedAt;
                            itemStatus = to;
                            changed = checkedAt;
                        }
                    }
                }
                batch.Requests.Add(new RequestRow(ids.Request++, itemId, platform.Id, requestedAt, resolved, outcome, companion, goneAt, backAt));
            }
            batch.Items.Add(new ItemRow(itemId, id, platform.Id, (ContentKind)random.Number(0, 2), minor, found, itemStatus, changed));
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private static T Weighted<T>(Randomizer random, (T Value, double Weight)[] choices)
    {
        var roll = random.Double() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            roll -= weight;
            if (roll <= 0) return value;
        }
        return choices[^1].Value;
    }

    private async Task<IReadOnlyList<Guid>> CompanionsAsync(int count, CancellationToken cancellationToken)
    {
        await DemoData.EnsureRolesAsync(services);
        var existing = (await users.GetUsersInRoleAsync(StaffRoles.Companion)).Where(u => u.IsActive).Select(u => u.Id).ToList();
        var faker = new Faker("ko");
        for (var i = existing.Count; i < count; i++)
        {
            var email = $"companion{i + 1:D3}@volume.example";
            var member = await users.FindByEmailAsync(email);
            if (member is null)
            {
                member = new StaffMember
                {
                    UserName = email,
                    Email = email,
                    EmailConfirmed = true,
                    FirstName = faker.Name.FirstName(),
                    FullName = faker.Name.FullName(),
                    Languages = ["ko"],
                    CreatedAt = clock.GetUtcNow(),
                };
                // No password: generated accounts exist only to hold cases and cannot sign in.
                Check(await users.CreateAsync(member));
                Check(await users.AddToRoleAsync(member, StaffRoles.Companion));
            }
            existing.Add(member.Id);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return existing;
    }

    private async Task<IReadOnlyList<(int Id, int TypicalDays, double Weight)>> PlatformsAsync(CancellationToken cancellationToken)
    {
        var result = new List<(int, int, double)>();
        foreach (var spec in PlatformSpecs)
        {
            var platform = await db.Platforms.FirstOrDefaultAsync(p => p.Name == spec.Name, cancellationToken);
            if (platform is null)
            {
                platform = new Platform(spec.Name, [spec.Host], RequestChannel.WebForm, $"https://{spec.Host}/report",
                    "{reference} 사례 관련 게시물 삭제를 요청합니다.\n{links}", "We request removal of content concerning case {reference}.\n{links}");
                db.Platforms.Add(platform);
                await db.SaveChangesAsync(cancellationToken);
            }
            result.Add((platform.Id, spec.TypicalDays, spec.Weight));
        }
        return result;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("A generated staff account could not be created: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }

    /// <summary>
    /// An index-only scan skips the table only for pages the visibility map marks all-visible, and a fresh load
    /// marks none: until autovacuum came round, every counter or waiting case read visited the table as well.
    /// VACUUM sets the marks, but not on pages whose rows another transaction's older snapshot may not see (an
    /// autovacuum ANALYZE of the loaded tables, or the portal writing meanwhile): it then runs again, until at
    /// most one page in a hundred is left for autovacuum.
    /// </summary>
    private async Task MarkAllVisibleAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        var unmarked = $"SELECT relpages - relallvisible - relpages / 100 FROM pg_class WHERE oid = '\"{table}\"'::regclass";
        for (var attempt = 1; ; attempt++)
        {
            await ExecuteAsync(connection, $"VACUUM \"{table}\"", cancellationToken);
            var left = await ScalarAsync(connection, unmarked, cancellationToken);
            if (left <= 0) return;
            if (attempt == 10)
            {
                logger.LogWarning("{Pages} pages of {Table} beyond one in a hundred are not marked all-visible yet; autovacuum will mark them", left, table);
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static Task<long> NextIdAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
        ScalarAsync(connection, $"SELECT greatest(coalesce(max(\"Id\"), 0), (SELECT coalesce(last_value, 0) FROM pg_sequences WHERE sequencename = '{table}_Id_seq')) + 1 FROM \"{table}\"", cancellationToken);

    private static readonly string[] LoadedTables = ["Cases", "Victims", "Narratives", "ServiceTracks", "TimelineEvents", "ContentItems", "ContentItemEvents", "DeletionRequests"];

    /// <summary>
    /// Drops the loaded tables' indexes that back no constraint and cover every row (in the load's transaction), and
    /// returns how to build them again. Partial indexes stay: few generated rows enter them, and PostgreSQL would
    /// write their predicates back in a different (equivalent) form than the migrations did.
    /// </summary>
    private static async Task<List<string>> DropSecondaryIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var definitions = new List<(string Name, string Definition)>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
             WHERE i.schemaname = current_schema() AND i.tablename = ANY(@tables)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
               AND (SELECT x.indpred IS NULL FROM pg_index x WHERE x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
            """, connection))
        {
            command.Parameters.AddWithValue("tables", LoadedTables);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) definitions.Add((reader.GetString(0), reader.GetString(1)));
        }
        foreach (var (name, _) in definitions) await ExecuteAsync(connection, $"DROP INDEX \"{name}\"", cancellationToken);
        return definitions.Select(d => d.Definition).ToList();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record CaseRow(long Id, string Reference, CaseStatus Status, CasePriority Priority, List<CrimeType> Crimes, bool Minor, Guid VictimId, Guid? Companion,
        DateTimeOffset Created, DateTimeOffset? Assigned, DateTimeOffset? FirstContact, DateTimeOffset? Closed, CaseOutcome? Outcome,
        bool SelfHarm, bool Threats, bool KnowsAddress, string Language);

    private sealed record TrackRow(long Id, long CaseId, ServiceTrackKind Kind, TrackStatus Status, Guid? Responsible, DateTimeOffset? Started, DateTimeOffset? Completed, DateTimeOffset Updated);

    private sealed record EventRow(long Id, long CaseId, TimelineEventKind Kind, DateTimeOffset At, Guid? StaffId, ServiceTrackKind? Track, string? Detail);

    private sealed record ItemRow(long Id, long CaseId, int PlatformId, ContentKind Kind, bool Minor, DateTimeOffset Found, ContentStatus Status, DateTimeOffset Changed);

    private sealed record StepRow(long Id, long ItemId, ContentStatus From, ContentStatus To, DateTimeOffset At, int PlatformId);

    private sealed record RequestRow(long Id, long ItemId, int PlatformId, DateTimeOffset Requested, DateTimeOffset? Resolved, ContentStatus? Outcome, Guid? By,
        DateTimeOffset? VerifiedGone, DateTimeOffset? Reappeared);

    private sealed class Batch
    {
        public List<CaseRow> Cases { get; } = [];
        public List<TrackRow> Tracks { get; } = [];
        public List<EventRow> Timeline { get; } = [];
        public List<ItemRow> Items { get; } = [];
        public List<StepRow> Steps { get; } = [];
        public List<RequestRow> Requests { get; } = [];

        public async Task WriteAsync(NpgsqlConnection connection, Func<string, byte[]> narrative, Func<string, byte[]> url, byte[] accessCodeHash, CancellationToken ct)
        {
            await CopyAsync(connection, "\"Victims\" (\"Id\", \"PreferredLanguage\")", Cases, async (w, c) =>
            {
                await w.WriteAsync(c.VictimId, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(c.Language, NpgsqlDbType.Varchar, ct);
            }, ct);
            await CopyAsync(connection,
                "\"Cases\" (\"Id\", \"Reference\", \"Status\", \"Priority\", \"CrimeTypes\", \"IsMinor\", \"VictimId\", \"AssignedCompanionId\", \"CreatedAt\", \"TriagedAt\", \"AssignedAt\", \"FirstContactAt\", \"LastContactAt\", \"ClosedAt\", \"Outcome\", \"IntakeFingerprint\", \"AccessCodeHash\", \"VictimSessionVersion\", \"RiskIsMinor\", \"RiskOffenderKnowsAddress\", \"RiskOngoingThreats\", \"RiskSelfHarmThoughts\", \"ContactChannel\", \"ContactVoicemailSafe\", \"NameInDeletionRequests\", \"AutomaticRequests\", \"IntakeChannel\", \"ContactNameTheCenter\")",
                Cases, async (w, c) =>
                {
                    await w.WriteAsync(c.Id, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(c.Reference, NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(c.Status.ToString(), NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(c.Priority.ToString(), NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(c.Crimes.Select(x => x.ToString()).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                    await w.WriteAsync(c.Minor, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(c.VictimId, NpgsqlDbType.Uuid, ct);
                    await WriteNullableAsync(w, c.Companion, NpgsqlDbType.Uuid, ct);
                    await w.WriteAsync(c.Created, NpgsqlDbType.TimestampTz, ct);
                    await w.WriteAsync(c.Created, NpgsqlDbType.TimestampTz, ct);
                    await WriteNullableAsync(w, c.Assigned, NpgsqlDbType.TimestampTz, ct);
                    await WriteNullableAsync(w, c.FirstContact, NpgsqlDbType.TimestampTz, ct);
                    await WriteNullableAsync(w, c.FirstContact, NpgsqlDbType.TimestampTz, ct);
                    await WriteNullableAsync(w, c.Closed, NpgsqlDbType.TimestampTz, ct);
                    await WriteNullableAsync(w, c.Outcome?.ToString(), NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(Guid.NewGuid().ToByteArray(), NpgsqlDbType.Bytea, ct);
                    await w.WriteAsync(accessCodeHash, NpgsqlDbType.Bytea, ct);
                    await w.WriteAsync(0, NpgsqlDbType.Integer, ct);
                    await w.WriteAsync(c.Minor, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(c.KnowsAddress, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(c.Threats, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(c.SelfHarm, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(nameof(ContactChannel.PortalOnly), NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                    await w.WriteAsync(nameof(IntakeChannel.Web), NpgsqlDbType.Varchar, ct);
                    await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                }, ct);
            await CopyAsync(connection, "\"Narratives\" (\"CaseId\", \"Text\", \"WrittenAt\")", Cases, async (w, c) =>
            {
                await w.WriteAsync(c.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(narrative(c.Id.ToString(CultureInfo.InvariantCulture)), NpgsqlDbType.Bytea, ct);
                await w.WriteAsync(c.Created, NpgsqlDbType.TimestampTz, ct);
            }, ct);
            await CopyAsync(connection, "\"ServiceTracks\" (\"Id\", \"CaseId\", \"Kind\", \"Status\", \"ResponsibleStaffId\", \"StartedAt\", \"CompletedAt\", \"UpdatedAt\")", Tracks, async (w, t) =>
            {
                await w.WriteAsync(t.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(t.CaseId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(t.Kind.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(t.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(w, t.Responsible, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(w, t.Started, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(w, t.Completed, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(t.Updated, NpgsqlDbType.TimestampTz, ct);
            }, ct);
            await CopyAsync(connection, "\"TimelineEvents\" (\"Id\", \"CaseId\", \"Kind\", \"Track\", \"OccurredAt\", \"StaffId\", \"Detail\")", Timeline, async (w, e) =>
            {
                await w.WriteAsync(e.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.CaseId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(e.Kind.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(w, e.Track?.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(e.At, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(w, e.StaffId, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(w, e.Detail, NpgsqlDbType.Varchar, ct);
            }, ct);
            await CopyAsync(connection, "\"ContentItems\" (\"Id\", \"CaseId\", \"Url\", \"UrlFingerprint\", \"PlatformId\", \"Kind\", \"FoundBy\", \"IsMinor\", \"FirstSeenAt\", \"Status\", \"StatusChangedAt\", \"EscalationStep\")", Items, async (w, i) =>
            {
                await w.WriteAsync(i.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(i.CaseId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(url(i.CaseId.ToString(CultureInfo.InvariantCulture)), NpgsqlDbType.Bytea, ct);
                // Stands in for the keyed URL hash: unique per item, as the unique (case, fingerprint) index requires.
                await w.WriteAsync(BitConverter.GetBytes(i.Id), NpgsqlDbType.Bytea, ct);
                await w.WriteAsync(i.PlatformId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(i.Kind.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(nameof(ContentFinder.Victim), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(i.Minor, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync(i.Found, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(i.Status.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(i.Changed, NpgsqlDbType.TimestampTz, ct);
                // Seeded history predates the escalation ladder.
                await w.WriteAsync(nameof(EscalationStep.None), NpgsqlDbType.Varchar, ct);
            }, ct);
            await CopyAsync(connection, "\"ContentItemEvents\" (\"Id\", \"ContentItemId\", \"From\", \"To\", \"At\", \"PlatformId\")", Steps, async (w, s) =>
            {
                await w.WriteAsync(s.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(s.ItemId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(s.From.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(s.To.ToString(), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync(s.At, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(s.PlatformId, NpgsqlDbType.Integer, ct);
            }, ct);
            await CopyAsync(connection, "\"DeletionRequests\" (\"Id\", \"ContentItemId\", \"PlatformId\", \"Channel\", \"Language\", \"RequestedById\", \"RequestedAt\", \"ResolvedAt\", \"Outcome\", \"VerifiedGoneAt\", \"ReappearedAt\")", Requests, async (w, r) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.ItemId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(r.PlatformId, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(nameof(RequestChannel.WebForm), NpgsqlDbType.Varchar, ct);
                await w.WriteAsync("ko", NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(w, r.By, NpgsqlDbType.Uuid, ct);
                await w.WriteAsync(r.Requested, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(w, r.Resolved, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(w, r.Outcome?.ToString(), NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(w, r.VerifiedGone, NpgsqlDbType.TimestampTz, ct);
                await WriteNullableAsync(w, r.Reappeared, NpgsqlDbType.TimestampTz, ct);
            }, ct);
        }

        private static async Task CopyAsync<T>(NpgsqlConnection connection, string target, List<T> rows, Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken ct)
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                await write(importer, row);
            }
            await importer.CompleteAsync(ct);
        }

        private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
            value is { } v ? w.WriteAsync(v, type, ct) : w.WriteNullAsync(ct);

        private static Task WriteNullableAsync(NpgsqlBinaryImporter w, string? value, NpgsqlDbType type, CancellationToken ct) =>
            value is not null ? w.WriteAsync(value, type, ct) : w.WriteNullAsync(ct);
    }
}
