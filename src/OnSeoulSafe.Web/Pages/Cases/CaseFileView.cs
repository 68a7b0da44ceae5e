using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Web.Pages.Cases;

/// <summary>
/// What the case file page shows of a case, and nothing else: the columns on screen, read untracked with one batch
/// of plain SQL (one round trip, one transaction) together with the view's access-log row. Encrypted values are
/// decrypted only for the fields shown, each checked against the row it was read from as the context's own reads are
/// (<see cref="PlacedFields"/>). Changes to a case still load the domain's <see cref="Case"/> (<see cref="CaseFiles.LoadAsync"/>).
/// </summary>
public sealed record CaseFileView(
    long Id,
    string Reference,
    CaseStatus Status,
    CaseOutcome? Outcome,
    CasePriority Priority,
    bool IsMinor,
    IReadOnlyList<CrimeType> CrimeTypes,
    string? AssignedCompanionFirstName,
    DateTimeOffset CreatedAt,
    IntakeChannel IntakeChannel,
    Guid? IntakeStaffId,
    string VictimLanguage,
    RiskScreening Risk,
    SafeContact SafeContact,
    CaseFileView.NarrativeShown Narrative)
{
    public bool IsOpen => Case.IsOpenIn(Status);

    /// <summary>The victim's later additions, oldest first.</summary>
    public IReadOnlyList<AmendmentShown> Amendments { get; init; } = [];

    /// <summary>Consents, oldest first, with the partner's name when one is named.</summary>
    public IReadOnlyList<ConsentShown> Consents { get; init; } = [];

    /// <summary>Service tracks in the order of their kind, each with its referrals' partners.</summary>
    public IReadOnlyList<TrackShown> Tracks { get; init; } = [];

    /// <summary>Messages, oldest first.</summary>
    public IReadOnlyList<MessageShown> Messages { get; init; } = [];

    /// <summary>The timeline events shown, newest first.</summary>
    public IReadOnlyList<EventShown> Timeline { get; init; } = [];

    public TimelineCounts TimelineCounts { get; init; } = new(0, new Dictionary<ServiceTrackKind, int>());

    /// <summary>First names of the staff the shown rows name.</summary>
    public IReadOnlyDictionary<Guid, string> StaffNames { get; init; } = new Dictionary<Guid, string>();

    /// <summary>Requests for a new access code waiting for a decision.</summary>
    public int WaitingCodeRecoveries { get; init; }

    public sealed record NarrativeShown(string Text, DateOnly? HappenedOn, DateTimeOffset WrittenAt);

    public sealed record AmendmentShown(string Text, Guid? StaffId, DateTimeOffset AddedAt);

    public sealed record ConsentShown(ServiceTrackKind Track, string? PartnerName, DateTimeOffset GivenAt, DateTimeOffset? WithdrawnAt, Guid? VerballyToStaffId);

    public sealed record TrackShown(ServiceTrackKind Kind, TrackStatus Status, Guid? ResponsibleStaffId, string ReferredTo);

    public sealed record MessageShown(long Id, MessageSender Sender, Guid? StaffId, string Body, DateTimeOffset SentAt, DateTimeOffset? ReadAt)
    {
        public bool SoundsLikeCrisis => Message.IsCrisis(Sender, Body);
    }

    public sealed record EventShown(
        long Id, TimelineEventKind Kind, ServiceTrackKind? Track, DateTimeOffset OccurredAt, Guid? StaffId, string? Detail, string? Place, int? DurationMinutes, string? Note);

    // The staff a row names come with the row (a join on the accounts), so the names cost no read of their own.
    private const string Summary = """
        SELECT c."Reference", c."Status", c."Outcome", c."Priority", c."IsMinor", c."CrimeTypes", companion."FirstName",
               c."CreatedAt", c."IntakeChannel", c."IntakeStaffId", taker."FirstName", v."PreferredLanguage",
               c."RiskSelfHarmThoughts", c."RiskOngoingThreats", c."RiskOffenderKnowsAddress", c."RiskIsMinor",
               c."ContactChannel", c."ContactPhone", c."ContactEmail", c."ContactSafeFrom", c."ContactSafeUntil",
               c."ContactVoicemailSafe", c."ContactSafeWord", c."ContactNameTheCenter",
               n."Text", n."HappenedOn", n."WrittenAt"
        FROM "Cases" c
        JOIN "Victims" v ON v."Id" = c."VictimId"
        JOIN "Narratives" n ON n."CaseId" = c."Id"
        LEFT JOIN "AspNetUsers" companion ON companion."Id" = c."AssignedCompanionId"
        LEFT JOIN "AspNetUsers" taker ON taker."Id" = c."IntakeStaffId"
        WHERE c."Id" = $1
        """;

    private const string AmendmentsSql = """
        SELECT a."Text", a."StaffId", u."FirstName", a."AddedAt"
        FROM "NarrativeAmendments" a LEFT JOIN "AspNetUsers" u ON u."Id" = a."StaffId"
        WHERE a."CaseId" = $1 ORDER BY a."AddedAt", a."Id"
        """;

    private const string ConsentsSql = """
        SELECT k."Track", p."Name", k."GivenAt", k."WithdrawnAt", k."VerballyToStaffId", u."FirstName"
        FROM "Consents" k
        LEFT JOIN "PartnerInstitutions" p ON p."Id" = k."PartnerInstitutionId"
        LEFT JOIN "AspNetUsers" u ON u."Id" = k."VerballyToStaffId"
        WHERE k."CaseId" = $1 ORDER BY k."GivenAt", k."Id"
        """;

    private const string TracksSql = """
        SELECT t."Kind", t."Status", t."ResponsibleStaffId", u."FirstName",
               (SELECT string_agg(p."Name", ', ' ORDER BY r."Id") FROM "Referrals" r
                JOIN "PartnerInstitutions" p ON p."Id" = r."PartnerInstitutionId" WHERE r."ServiceTrackId" = t."Id")
        FROM "ServiceTracks" t LEFT JOIN "AspNetUsers" u ON u."Id" = t."ResponsibleStaffId"
        WHERE t."CaseId" = $1
        """;

    private const string MessagesSql = """
        SELECT m."Id", m."Sender", m."StaffId", u."FirstName", m."Body", m."SentAt", m."ReadAt"
        FROM "Messages" m LEFT JOIN "AspNetUsers" u ON u."Id" = m."StaffId"
        WHERE m."CaseId" = $1 ORDER BY m."SentAt", m."Id"
        """;

    // Newest first by the (CaseId, OccurredAt DESC) index; LIMIT NULL (every event) when all are asked for.
    private const string EventsSql = """
        SELECT e."Id", e."Kind", e."Track", e."OccurredAt", e."StaffId", u."FirstName", e."Detail", e."Place", e."DurationMinutes", e."Note"
        FROM "TimelineEvents" e LEFT JOIN "AspNetUsers" u ON u."Id" = e."StaffId"
        WHERE e."CaseId" = $1 ORDER BY e."OccurredAt" DESC, e."Id" DESC LIMIT $2
        """;

    private const string CountsSql = """
        SELECT "Track", count(*)::int FROM "TimelineEvents" WHERE "CaseId" = $1 GROUP BY "Track"
        """;

    private const string CodeRecoveriesSql = """
        SELECT count(*)::int FROM "CodeRecoveries" WHERE "CaseId" = $1 AND "Status" = $2 AND "RequestedAt" > $3
        """;

    /// <summary>
    /// Reads the file with one batch. <paramref name="logRow"/>, the request's access-log row not yet written, is
    /// inserted by the same batch: the reads and the row commit together, or neither.
    /// </summary>
    /// <param name="eventsShown">How many timeline events to read, newest first; null for all.</param>
    public static async Task<CaseFileView> ReadAsync(
        PortalDbContext db, long caseId, int? eventsShown, DateTimeOffset now, AccessLogEntry? logRow, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(connection) { Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction() };
            batch.BatchCommands.Add(ForCase(Summary, caseId));
            batch.BatchCommands.Add(ForCase(AmendmentsSql, caseId));
            batch.BatchCommands.Add(ForCase(ConsentsSql, caseId));
            batch.BatchCommands.Add(ForCase(TracksSql, caseId));
            batch.BatchCommands.Add(ForCase(MessagesSql, caseId));
            var events = ForCase(EventsSql, caseId);
            events.Parameters.Add(new NpgsqlParameter { Value = (object?)eventsShown ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
            batch.BatchCommands.Add(events);
            batch.BatchCommands.Add(ForCase(CountsSql, caseId));
            var recoveries = ForCase(CodeRecoveriesSql, caseId);
            recoveries.Parameters.Add(new NpgsqlParameter<string> { TypedValue = nameof(CodeRecoveryStatus.Requested) });
            recoveries.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = (now - CodeRecovery.RequestLifetime).ToUniversalTime() });
            batch.BatchCommands.Add(recoveries);
            if (logRow is not null) batch.BatchCommands.Add(CaseAccessLog.InsertCommand(logRow));

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var rowKey = caseId.ToString(CultureInfo.InvariantCulture);
            var names = new Dictionary<Guid, string>();

            if (!await reader.ReadAsync(cancellationToken)) throw new InvalidOperationException("The case file's case was not found.");
            var view = new CaseFileView(
                caseId,
                reader.GetString(0),
                Parse<CaseStatus>(reader, 1),
                reader.IsDBNull(2) ? null : Parse<CaseOutcome>(reader, 2),
                Parse<CasePriority>(reader, 3),
                reader.GetBoolean(4),
                [.. reader.GetFieldValue<string[]>(5).Select(Enum.Parse<CrimeType>)],
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7),
                Parse<IntakeChannel>(reader, 8),
                Named(reader, 9, 10, names),
                reader.GetString(11),
                new RiskScreening(reader.GetBoolean(12), reader.GetBoolean(13), reader.GetBoolean(14), reader.GetBoolean(15)),
                new SafeContact(
                    Parse<ContactChannel>(reader, 16),
                    db.ReadPlaced(reader, 17, "Cases", "ContactPhone", rowKey),
                    db.ReadPlaced(reader, 18, "Cases", "ContactEmail", rowKey),
                    reader.IsDBNull(19) ? null : reader.GetFieldValue<TimeOnly>(19),
                    reader.IsDBNull(20) ? null : reader.GetFieldValue<TimeOnly>(20),
                    reader.GetBoolean(21),
                    db.ReadPlaced(reader, 22, "Cases", "ContactSafeWord", rowKey))
                { NameTheCenter = reader.GetBoolean(23) },
                new NarrativeShown(
                    db.ReadPlaced(reader, 24, "Narratives", "Text", rowKey) ?? "",
                    reader.IsDBNull(25) ? null : reader.GetFieldValue<DateOnly>(25),
                    reader.GetFieldValue<DateTimeOffset>(26)));

            await reader.NextResultAsync(cancellationToken);
            var amendments = new List<AmendmentShown>();
            while (await reader.ReadAsync(cancellationToken))
            {
                amendments.Add(new AmendmentShown(
                    db.ReadPlaced(reader, 0, "NarrativeAmendments", "Text", rowKey) ?? "", Named(reader, 1, 2, names), reader.GetFieldValue<DateTimeOffset>(3)));
            }

            await reader.NextResultAsync(cancellationToken);
            var consents = new List<ConsentShown>();
            while (await reader.ReadAsync(cancellationToken))
            {
                consents.Add(new ConsentShown(
                    Parse<ServiceTrackKind>(reader, 0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    Named(reader, 4, 5, names)));
            }

            await reader.NextResultAsync(cancellationToken);
            var tracks = new List<TrackShown>();
            while (await reader.ReadAsync(cancellationToken))
            {
                tracks.Add(new TrackShown(
                    Parse<ServiceTrackKind>(reader, 0), Parse<TrackStatus>(reader, 1), Named(reader, 2, 3, names), reader.IsDBNull(4) ? "" : reader.GetString(4)));
            }
            tracks.Sort((a, b) => a.Kind.CompareTo(b.Kind));

            await reader.NextResultAsync(cancellationToken);
            var messages = new List<MessageShown>();
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(new MessageShown(
                    reader.GetInt64(0),
                    Parse<MessageSender>(reader, 1),
                    Named(reader, 2, 3, names),
                    db.ReadPlaced(reader, 4, "Messages", "Body", rowKey) ?? "",
                    reader.GetFieldValue<DateTimeOffset>(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
            }

            await reader.NextResultAsync(cancellationToken);
            var timeline = new List<EventShown>();
            while (await reader.ReadAsync(cancellationToken))
            {
                timeline.Add(new EventShown(
                    reader.GetInt64(0),
                    Parse<TimelineEventKind>(reader, 1),
                    reader.IsDBNull(2) ? null : Parse<ServiceTrackKind>(reader, 2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    Named(reader, 4, 5, names),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    db.ReadPlaced(reader, 7, "TimelineEvents", "Place", rowKey),
                    reader.IsDBNull(8) ? null : reader.GetInt32(8),
                    db.ReadPlaced(reader, 9, "TimelineEvents", "Note", rowKey)));
            }

            await reader.NextResultAsync(cancellationToken);
            var total = 0;
            var perTrack = new Dictionary<ServiceTrackKind, int>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var count = reader.GetInt32(1);
                total += count;
                if (!reader.IsDBNull(0)) perTrack[Parse<ServiceTrackKind>(reader, 0)] = count;
            }

            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var waitingRecoveries = reader.GetInt32(0);

            if (logRow is not null)
            {
                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                CaseAccessLog.Written(db, logRow, reader.GetInt64(0));
            }

            return view with
            {
                Amendments = amendments,
                Consents = consents,
                Tracks = tracks,
                Messages = messages,
                Timeline = timeline,
                TimelineCounts = new TimelineCounts(total, perTrack),
                StaffNames = names,
                WaitingCodeRecoveries = waitingRecoveries,
            };
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private static NpgsqlBatchCommand ForCase(string sql, long caseId)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = caseId });
        return command;
    }

    private static T Parse<T>(DbDataReader reader, int ordinal)
        where T : struct, Enum => Enum.Parse<T>(reader.GetString(ordinal));

    /// <summary>A staff id and the first name that came with it (kept for the page's names).</summary>
    private static Guid? Named(DbDataReader reader, int idOrdinal, int nameOrdinal, Dictionary<Guid, string> names)
    {
        if (reader.IsDBNull(idOrdinal)) return null;
        var id = reader.GetGuid(idOrdinal);
        if (!reader.IsDBNull(nameOrdinal)) names.TryAdd(id, reader.GetString(nameOrdinal));
        return id;
    }
}
