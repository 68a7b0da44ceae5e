using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Access;

/// <summary>
/// Writes one row of the access log. The row is only added to the context: the caller's own
/// <c>SaveChangesAsync</c> commits it together with the change it describes.
/// </summary>
public static class CaseAccessLog
{
    /// <summary>Actor role recorded when the victim opens their own file with the access code.</summary>
    public const string VictimRole = "Victim";

    /// <summary>The "what" of the work lists, which log a row for every case they show.</summary>
    public const string MyCasesList = "/Cases/Index", AgendaList = "/Cases/Agenda", DeletionQueueList = "/Cases/DeletionQueue",
        MatchReviewList = "/Cases/MatchReview", CaseSearchList = "/Cases/Search", PlatformRequestsList = "/Cases/DeletionByPlatform";

    public static readonly string[] WorkLists = [MyCasesList, AgendaList, DeletionQueueList, MatchReviewList, CaseSearchList, PlatformRequestsList];

    private const int WhatMaxLength = 100;

    public static AccessLogEntry Record(
        PortalDbContext db,
        DateTimeOffset at,
        Guid? staffId,
        string actorRole,
        long? caseId,
        AccessAction action,
        string what,
        string? reason = null,
        Guid? subjectStaffId = null)
    {
        var entry = Create(at, staffId, actorRole, caseId, action, what, reason, subjectStaffId);
        db.AccessLog.Add(entry);
        return entry;
    }

    /// <summary>
    /// A row not added to any context: a case file view's row, which the page's read batch writes (or
    /// <see cref="WriteAsync"/> after the page), so a view costs the change tracker nothing.
    /// </summary>
    public static AccessLogEntry Create(
        DateTimeOffset at,
        Guid? staffId,
        string actorRole,
        long? caseId,
        AccessAction action,
        string what,
        string? reason = null,
        Guid? subjectStaffId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actorRole);
        ArgumentException.ThrowIfNullOrWhiteSpace(what);
        return new AccessLogEntry(
            at.ToUniversalTime(),
            staffId,
            actorRole,
            caseId,
            action,
            what.Length > WhatMaxLength ? what[..WhatMaxLength] : what,
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            subjectStaffId);
    }

    /// <summary>
    /// Writes a row that no change goes with (a read) at once, with one INSERT and without the change tracker: every
    /// view of a case file writes one, and a whole SaveChanges (change detection, the dashboard ledger's check,
    /// EF Core's update pipeline) for a single row was a tenth of a view's work.
    /// </summary>
    public static Task WriteAsync(PortalDbContext db, AccessLogEntry entry, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "AccessLog" ("At", "StaffId", "ActorRole", "CaseId", "Action", "What", "Reason", "SubjectStaffId")
            VALUES ({entry.At}, {entry.StaffId}, {entry.ActorRole}, {entry.CaseId}, {entry.Action.ToString()}, {entry.What}, {entry.Reason}, {entry.SubjectStaffId})
            """,
            cancellationToken);

    /// <summary>
    /// The row's INSERT as one command of a caller's batch, so a page that reads a case with one batch writes the row
    /// in the same round trip and transaction as its reads. The command returns the row's id, for
    /// <see cref="Written"/>.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(AccessLogEntry entry)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO "AccessLog" ("At", "StaffId", "ActorRole", "CaseId", "Action", "What", "Reason", "SubjectStaffId")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING "Id"
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = entry.At });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.StaffId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.ActorRole });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.CaseId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Action.ToString() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.What });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.SubjectStaffId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        return command;
    }

    /// <summary>
    /// The row was written by <see cref="InsertCommand"/>: if the context holds it (a change's row, waiting for the
    /// page's SaveChanges), it leaves the context, which will not write it again.
    /// </summary>
    public static void Written(PortalDbContext db, AccessLogEntry entry, long id)
    {
        // Asked of this row alone: listing the tracked entries would detect changes across the whole context.
        var tracked = db.Entry(entry);
        if (tracked.State != EntityState.Detached) tracked.State = EntityState.Detached;
        entry.WrittenAs(id);
    }

    /// <summary>The victim read or changed their own file (no staff account).</summary>
    public static AccessLogEntry RecordVictim(PortalDbContext db, DateTimeOffset at, long caseId, AccessAction action, string what) =>
        Record(db, at, staffId: null, VictimRole, caseId, action, what);
}
