using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Dashboard;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Notices;

namespace OnSeoulSafe.Cases.Notifications;

/// <summary>
/// Sends the outbox of notices to people, one at a time, and puts companions' unread-message e-mails in it.
/// Taking a notice is one statement: the oldest due one is locked with <c>FOR UPDATE SKIP LOCKED</c> and leased with a
/// fresh token (a victim's other due nudges on the same case are covered by it and dropped). The address is looked up
/// and the text composed only now; a victim's nudge goes only on the channel she chose and, outside her safe hours
/// (Korea time), waits for their start. What happened is recorded on the notice, on the case's timeline (kind and
/// channel only) and in the access log in one SaveChanges, and only while the lease is ours. Failures wait for their
/// back-off; after the last try, or when it can never go as things stand, the notice is parked with its reason.
/// </summary>
public sealed partial class PersonNoticeSender(
    PortalDbContext db, IPersonMailer mailer, ISmsGateway sms, NotificationOptions options, TimeProvider clock, ILogger<PersonNoticeSender> logger)
{
    /// <summary>The actor the access log names for the sender's changes to a case.</summary>
    public const string ActorRole = "Notifications";

    /// <summary>
    /// Queues an e-mail for each companion with a victim's message unread for longer than the delay, not covered by
    /// their last one, and at most one per window. Returns how many were queued.
    /// </summary>
    public async Task<int> PlanUnreadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var threshold = now - options.UnreadDelay;
        var waiting = await db.Messages.AsNoTracking()
            .Where(m => m.Sender == MessageSender.Victim && m.ReadAt == null && m.SentAt <= threshold)
            .Join(db.Cases.Where(c => c.AssignedCompanionId != null && c.ErasedAt == null && c.Status != CaseStatus.Closed && c.Status != CaseStatus.Withdrawn),
                m => m.CaseId, c => c.Id, (m, c) => new { Staff = c.AssignedCompanionId!.Value, m.CaseId, m.SentAt })
            .GroupBy(x => x.Staff)
            .Select(g => new { Staff = g.Key, Newest = g.Max(x => x.SentAt), CaseId = g.Min(x => x.CaseId) })
            .ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var staff in waiting)
        {
            var last = await db.PersonNotices.AsNoTracking()
                .Where(n => n.Kind == PersonNoticeKind.CompanionUnread && n.StaffId == staff.Staff)
                .MaxAsync(n => (DateTimeOffset?)n.CreatedAt, cancellationToken);
            // Within the window of the last one, or every waiting message was already old enough for it: nothing new.
            if (last is { } at && (at > now - options.UnreadWindow || staff.Newest <= at - options.UnreadDelay)) continue;
            db.PersonNotices.Add(PersonNotice.CompanionUnread(staff.CaseId, staff.Staff, now.UtcTicks / options.UnreadWindow.Ticks, now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                queued++;
            }
            catch (DbUpdateException)
            {
                // Another sender queued it for this window first: the key is unique, so it is there once.
                db.ChangeTracker.Clear();
            }
        }
        return queued;
    }

    /// <summary>Deals with one due notice; false when none is due.</summary>
    public async Task<bool> RunOneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await TakeAsync(now, cancellationToken) is not { } lease) return false;
        db.ChangeTracker.Clear();
        var notice = await db.PersonNotices.SingleAsync(n => n.Id == lease.Id, cancellationToken);
        var @case = await db.Cases.Include(c => c.Victim).SingleAsync(c => c.Id == notice.CaseId, cancellationToken);

        var (address, skip) = await AddressAsync(notice, @case, cancellationToken);
        if (skip is not null)
        {
            notice.Drop(skip);
        }
        else if (notice.Kind == PersonNoticeKind.VictimNudge && NextSafeMoment(@case.SafeContact, now) is { } safe)
        {
            notice.WaitUntil(safe);
        }
        else if (address is null)
        {
            notice.MarkFailed("no-address", park: true, now);
        }
        else
        {
            var message = PersonNoticeText.Compose(notice, notice.Kind == PersonNoticeKind.VictimNudge ? @case.Victim.PreferredLanguage : "ko",
                @case.SafeContact.NameTheCenter, options.CenterName);
            var result = notice.Channel == PersonNoticeChannel.Sms
                ? await sms.SendAsync(address, message, cancellationToken)
                : await mailer.SendAsync(address, message, cancellationToken);
            var done = clock.GetUtcNow();
            if (result.Outcome is SendOutcome.Sent or SendOutcome.Accepted)
            {
                notice.MarkSent(done);
                // A companion's e-mail speaks for every case of theirs with an unread message: each timeline shows it.
                var told = notice.StaffId is { } staffId && notice.Kind == PersonNoticeKind.CompanionUnread
                    ? await db.Cases.Where(c => UnreadCaseIds(staffId).Contains(c.Id)).ToListAsync(cancellationToken)
                    : [@case];
                foreach (var each in told.DefaultIfEmpty(@case).DistinctBy(c => c.Id))
                {
                    each.RecordNoticeSent(notice, done);
                    CaseAccessLog.Record(db, done, staffId: null, ActorRole, each.Id, AccessAction.Edit, "Notifications/Sent");
                }
            }
            else
            {
                var park = result.Outcome is SendOutcome.Unsendable or SendOutcome.Refused || lease.Attempts >= options.MaxAttempts;
                notice.MarkFailed(result.Reason ?? "failed", park, done + options.RetryDelay(lease.Attempts));
            }
        }
        // Only while the lease is ours: a sender whose lease ran out and was re-taken records nothing.
        db.Entry(notice).Property(n => n.LeaseToken).OriginalValue = lease.Token;
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
        LogNotice(logger, notice.Id, notice.Kind.ToString(), notice.Channel.ToString(), notice.State.ToString(), notice.LastError ?? "");
        return true;
    }

    /// <summary>The start of the victim's safe hours, as a UTC time, when <paramref name="now"/> is outside them; else null.</summary>
    public static DateTimeOffset? NextSafeMoment(SafeContact contact, DateTimeOffset now)
    {
        var local = now.ToOffset(DashboardFacts.KoreaOffset);
        var next = contact.NextSafeMoment(local.DateTime);
        return next == local.DateTime ? null : new DateTimeOffset(next, DashboardFacts.KoreaOffset).ToUniversalTime();
    }

    /// <summary>Where the notice goes, or why it is no longer needed.</summary>
    private async Task<(string? Address, string? Skip)> AddressAsync(PersonNotice notice, Case @case, CancellationToken cancellationToken)
    {
        if (notice.Kind == PersonNoticeKind.CompanionUnread)
        {
            if (notice.StaffId is not { } staffId) return (null, "no-staff");
            var staff = await db.Users.AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId, cancellationToken);
            if (staff is null || !staff.IsActive) return (null, "staff-inactive");
            var stillUnread = await UnreadCaseIds(staffId).AnyAsync(cancellationToken);
            return stillUnread ? (staff.Email, null) : (null, "read");
        }
        if (@case.ErasedAt is not null) return (null, "erased");
        var contact = @case.SafeContact;
        return (contact.Channel, notice.Channel) switch
        {
            (ContactChannel.Email, PersonNoticeChannel.Email) => (Blank(contact.Email), null),
            (ContactChannel.Phone or ContactChannel.Text, PersonNoticeChannel.Sms) => (Blank(contact.PhoneNumber), null),
            _ => (null, "channel-changed"),
        };
    }

    /// <summary>The cases assigned to <paramref name="staffId"/> holding a victim's message nobody has read.</summary>
    private IQueryable<long> UnreadCaseIds(Guid staffId) =>
        db.Messages.Where(m => m.Sender == MessageSender.Victim && m.ReadAt == null
                && db.Cases.Any(c => c.Id == m.CaseId && c.AssignedCompanionId == staffId && c.ErasedAt == null))
            .Select(m => m.CaseId).Distinct();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed record Lease(long Id, Guid Token, int Attempts);

    private async Task<Lease?> TakeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        await using var command = await CommandAsync("""
            WITH next AS (
                SELECT n."Id", n."CaseId", n."Kind" FROM "PersonNotices" n
                WHERE n."State" = 'Waiting' AND n."NotBefore" <= @now AND (n."LeasedUntil" IS NULL OR n."LeasedUntil" <= @now)
                ORDER BY n."NotBefore", n."Id"
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            ), covered AS (
                UPDATE "PersonNotices" o SET "State" = 'Dropped', "LastError" = 'covered'
                FROM next
                WHERE next."Kind" = 'VictimNudge' AND o."Kind" = 'VictimNudge' AND o."CaseId" = next."CaseId" AND o."Id" <> next."Id"
                  AND o."State" = 'Waiting' AND (o."LeasedUntil" IS NULL OR o."LeasedUntil" <= @now)
            )
            UPDATE "PersonNotices" n SET "LeasedUntil" = @until, "LeaseToken" = @token, "Attempts" = n."Attempts" + 1
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Person notice {NoticeId} ({Kind}, {Channel}): {State} {Reason}")]
    private static partial void LogNotice(ILogger logger, long noticeId, string kind, string channel, string state, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Person notice {NoticeId}: the lease ran out before the result was recorded")]
    private static partial void LogLeaseLost(ILogger logger, long noticeId);
}
