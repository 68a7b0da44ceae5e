using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Notices;

/// <summary>The channels the sender uses, one per kind of delivery.</summary>
public sealed record NoticeChannels(INoticeChannel Email, INoticeChannel Http);

/// <summary>
/// Sends the outbox's notices, one at a time. Taking a notice is one statement: the oldest due notice whose platform's
/// turn has come (its rate) is locked with <c>FOR UPDATE SKIP LOCKED</c> together with its platform, leased with a
/// fresh token, and the platform's next turn moved on; a second sender skips both, so no notice is in two hands. The
/// text is composed at send time from the ledger (the content address and the reference, never the victim's name,
/// narrative or contacts). What happened is recorded on the notice and the item's ledger in one SaveChanges with the
/// access-log row, and only while the lease is still ours. A failure waits for its back-off; after the last try, or
/// when it can never go as configured (a template field the portal does not fill, no SMTP server), it is parked with
/// its reason, never dropped. Each notice carries its own key (Message-ID, Idempotency-Key) so a platform can tell the
/// rare repeat after a crash between sending and recording.
/// </summary>
public sealed partial class NoticeSender(PortalDbContext db, NoticeChannels channels, NoticeOptions options, TimeProvider clock, ILogger<NoticeSender> logger)
{
    /// <summary>The actor the access log names for the sender's and the ladder's changes to a case.</summary>
    public const string ActorRole = "Notices";

    /// <summary>Sends one due notice; false when none is due.</summary>
    public async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await TakeAsync(now, cancellationToken) is not { } lease) return false;
        db.ChangeTracker.Clear();
        var notice = await db.DeletionNotices.Include(n => n.Item!).ThenInclude(i => i.Requests).Include(n => n.Request)
            .SingleAsync(n => n.Id == lease.Id, cancellationToken);
        var platform = await db.Platforms.SingleAsync(p => p.Id == notice.PlatformId, cancellationToken);
        var item = notice.Item!;
        var @case = item.CaseId is { } caseId ? await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, cancellationToken) : null;
        var reference = @case?.Reference ?? ContentLedger.CaselessReference(item.Id);
        var earlier = notice.Step == NoticeStep.Second
            ? await db.DeletionNotices.AsNoTracking().Where(n => n.ContentItemId == item.Id && n.Step == NoticeStep.First && n.PlatformReference != null)
                .OrderByDescending(n => n.Id).Select(n => n.PlatformReference).FirstOrDefaultAsync(cancellationToken)
            : null;

        SendResult result;
        if (item.Url.Length == 0 || !item.AwaitsRemoval)
        {
            // Erased, or the platform removed it before the notice went: nothing to send, nothing to keep trying.
            result = new SendResult(SendOutcome.Unsendable, Reason: item.Url.Length == 0 ? "erased" : "no-longer-requested");
        }
        else if (platform.NoticeAddress is not { } address || platform.NoticeDelivery == NoticeDelivery.ByHand)
        {
            result = new SendResult(SendOutcome.Unsendable, Reason: "by-hand");
        }
        else
        {
            try
            {
                var message = NoticeText.Compose(notice, platform, reference, item.Url, @case?.IsMinor == true || item.IsMinor, earlier, now);
                result = await (platform.NoticeDelivery == NoticeDelivery.Email ? channels.Email : channels.Http).SendAsync(message, address, cancellationToken);
            }
            catch (NoticeTemplateException e)
            {
                result = new SendResult(SendOutcome.Unsendable, Reason: e.Reason);
            }
        }

        var done = clock.GetUtcNow();
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                notice.MarkSent(result.PlatformReference, done, platform.RemovalDeadline);
                break;
            case SendOutcome.Accepted:
                notice.MarkAnswered(refused: false, result.PlatformReference, null, done, platform.RemovalDeadline);
                break;
            case SendOutcome.Refused:
                notice.MarkAnswered(refused: true, result.PlatformReference, result.Reason, done, platform.RemovalDeadline);
                break;
            default:
                var park = result.Outcome == SendOutcome.Unsendable || lease.Attempts >= options.MaxAttempts;
                notice.MarkFailed(result.Reason ?? "failed", park, done + options.RetryDelay(lease.Attempts), done, platform.RemovalDeadline);
                break;
        }
        if (item.CaseId is { } id) CaseAccessLog.Record(db, done, staffId: null, ActorRole, id, AccessAction.Edit, "Notices/" + notice.State);
        // Only while the lease is ours: a sender whose lease ran out and was re-taken records nothing.
        db.Entry(notice).Property("LeaseToken").OriginalValue = lease.Token;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLeaseLost(logger, notice.Id);
            db.ChangeTracker.Clear();
            return true;
        }
        LogNotice(logger, notice.Id, platform.Id, notice.Step.ToString(), notice.State.ToString(), notice.LastError ?? "");
        return true;
    }

    private sealed record Lease(long Id, Guid Token, int Attempts);

    private async Task<Lease?> TakeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        await using var command = await CommandAsync("""
            WITH next AS (
                SELECT n."Id", p."Id" AS "PlatformId", p."NoticeInterval" FROM "DeletionNotices" n
                JOIN "Platforms" p ON p."Id" = n."PlatformId"
                WHERE n."State" = 'Waiting' AND n."NotBefore" <= @now AND (n."LeasedUntil" IS NULL OR n."LeasedUntil" <= @now)
                  AND (p."NextNoticeAt" IS NULL OR p."NextNoticeAt" <= @now)
                ORDER BY n."NotBefore", n."Id"
                LIMIT 1
                FOR UPDATE OF n, p SKIP LOCKED
            ), turn AS (
                UPDATE "Platforms" p SET "NextNoticeAt" = @now + next."NoticeInterval" FROM next WHERE p."Id" = next."PlatformId"
            )
            UPDATE "DeletionNotices" n SET "LeasedUntil" = @until, "LeaseToken" = @token, "Attempts" = n."Attempts" + 1
            FROM next WHERE n."Id" = next."Id"
            RETURNING n."Id", n."Attempts"
            """, cancellationToken);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", now));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("until", now + options.LeaseDuration));
        command.Parameters.Add(new NpgsqlParameter<Guid>("token", token));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new Lease(reader.GetInt64(0), token, reader.GetInt32(1)) : null;
    }

    private Task<DbCommand> CommandAsync(string sql, CancellationToken cancellationToken) => db.Database.CommandAsync(sql, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} to platform {PlatformId} ({Step}): {State} {Reason}")]
    private static partial void LogNotice(ILogger logger, long noticeId, int platformId, string step, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId}: the lease ran out before the result was recorded")]
    private static partial void LogLeaseLost(ILogger logger, long noticeId);
}
