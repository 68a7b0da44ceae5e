using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Notifications;
using OnSeoulSafe.SimulatedPlatforms;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Notices;

/// <summary>
/// Notices to people on the test clock, against the simulated SMTP inbox and SMS gateway on loopback: a victim's
/// nudge waits for her safe hours (Korea time), a failure is retried after its back-off, nothing is sent twice, and no
/// notice carries the reference, her name, what she wrote or the center's name she did not allow.
/// </summary>
public sealed class PersonNoticeTests : IAsyncLifetime, IDisposable
{
    private const string Nickname = "Jiyoung";
    private const string Phone = "010-1234-5678";
    private const string VictimEmail = "jiyoung.private@example.com";
    private const string StaffEmail = "companion.kim@onseoulsafe.example";

    // 14:00 UTC is 23:00 in Korea.
    private static readonly DateTimeOffset LateEvening = new(2026, 6, 2, 14, 0, 0, TimeSpan.Zero);

    // 01:00 UTC is 10:00 in Korea.
    private static readonly DateTimeOffset Morning = new(2026, 6, 2, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Morning);
    private readonly HttpClient _http = new();
    private PlatformSimulation _platforms = null!;
    private SmsSink _sms = null!;
    private PortalDbContext _db = null!;
    private StaffMember _companion = null!;

    public async Task InitializeAsync()
    {
        _platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings([]), _clock);
        _sms = await SmsSink.StartAsync();
        _db = PortalDatabaseTemplate.NewContext(await PortalDatabaseTemplate.CreateDatabaseAsync("person-notices"), TestSecrets.Cipher);
        _companion = new StaffMember { UserName = StaffEmail, Email = StaffEmail, FirstName = "Minji", FullName = "Kim Minji", CreatedAt = Morning };
        _db.Users.Add(_companion);
        await _db.SaveChangesAsync();
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _sms.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    private NotificationOptions Options() => new()
    {
        Enabled = true,
        SendTimeout = TimeSpan.FromSeconds(5),
        SmtpHost = "127.0.0.1",
        SmtpPort = _platforms.Inbox.Port,
        SmtpStartTls = false,
        SmsEndpoint = _sms.Endpoint,
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMinutes(1),
        UnreadDelay = TimeSpan.FromMinutes(30),
        UnreadWindow = TimeSpan.FromHours(4),
        CenterName = "서울 디지털성범죄 안심지원센터",
    };

    private PersonNoticeSender Sender()
    {
        _db.ChangeTracker.Clear();
        var options = Options();
        return new PersonNoticeSender(_db, new SmtpPersonMailer(options), new HttpSmsGateway(_http, options), options, _clock, NullLogger<PersonNoticeSender>.Instance);
    }

    /// <summary>A case assigned to the companion whose victim chose <paramref name="channel"/> with safe hours 09:00–18:00.</summary>
    private async Task<Case> CaseAsync(ContactChannel channel, bool nameTheCenter = false)
    {
        var @case = await TestCases.OpenAsync(_db, _clock.GetUtcNow(), nickname: Nickname);
        @case.ChangeSafeContact(new SafeContact(channel, Phone, VictimEmail, new TimeOnly(9, 0), new TimeOnly(18, 0), false, "우산") { NameTheCenter = nameTheCenter }, _clock.GetUtcNow());
        @case.AssignTo(_companion, _companion.Id, _clock.GetUtcNow(), "taking this case in the test");
        await _db.SaveChangesAsync();
        return @case;
    }

    private async Task CompanionWritesAsync(Case @case, string text = "다음 주 일정 확인 부탁드려요")
    {
        var tracked = await _db.Cases.SingleAsync(c => c.Id == @case.Id);
        tracked.PostMessage(MessageSender.Staff, _companion.Id, text, _clock.GetUtcNow());
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
    }

    private async Task VictimWritesAsync(Case @case, string text)
    {
        var tracked = await _db.Cases.SingleAsync(c => c.Id == @case.Id);
        tracked.PostMessage(MessageSender.Victim, null, text, _clock.GetUtcNow());
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
    }

    private Task<List<PersonNotice>> NoticesAsync(PersonNoticeKind kind) =>
        _db.PersonNotices.AsNoTracking().Where(n => n.Kind == kind).OrderBy(n => n.Id).ToListAsync();

    private static string BodyOf(ReceivedMail mail)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(mail.Raw));
        var message = MimeMessage.Load(stream);
        return message.Subject + "\n" + message.TextBody;
    }

    private static void ShouldBeContentFree(string body, Case @case, string? narrativeOrMessage = null)
    {
        body.ShouldNotContain(@case.Reference);
        body.ShouldNotContain(Nickname);
        body.ShouldNotContain("what happened");
        body.ShouldNotContain("우산");
        body.ShouldNotContain(Phone);
        body.ShouldNotContain(VictimEmail);
        body.ShouldNotContain("http");
        if (narrativeOrMessage is not null) body.ShouldNotContain(narrativeOrMessage);
    }

    [Fact]
    public async Task A_nudge_outside_her_safe_hours_waits_for_their_start_then_goes_once_by_text_without_content()
    {
        // Arrange: the companion writes at 23:00 Korea time; her safe hours are 09:00–18:00.
        _clock.SetUtcNow(LateEvening);
        var @case = await CaseAsync(ContactChannel.Text);
        await CompanionWritesAsync(@case);

        // Act
        var took = await Sender().RunOneAsync(default);
        var waiting = (await NoticesAsync(PersonNoticeKind.VictimNudge)).Single(n => n.State == PersonNoticeState.Waiting);
        _clock.SetUtcNow(new DateTimeOffset(2026, 6, 2, 23, 59, 0, TimeSpan.Zero)); // 08:59 in Korea
        var tooEarly = await Sender().RunOneAsync(default);
        _clock.SetUtcNow(new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero)); // 09:00 in Korea
        var sent = await Sender().RunOneAsync(default);
        var nothingLeft = await Sender().RunOneAsync(default);

        // Assert
        took.ShouldBeTrue();
        _sms.Received.Count.ShouldBe(1);
        waiting.NotBefore.ShouldBe(new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero));
        waiting.LastError.ShouldBe("outside-safe-hours");
        tooEarly.ShouldBeFalse();
        sent.ShouldBeTrue();
        nothingLeft.ShouldBeFalse();
        var sms = _sms.Received.ShouldHaveSingleItem();
        sms.To.ShouldBe(Phone);
        sms.IdempotencyKey.ShouldNotBeNullOrEmpty();
        ShouldBeContentFree(sms.Text, @case, "다음 주 일정");
        sms.Text.ShouldNotContain("센터");
        _platforms.Inbox.Received.ShouldBeEmpty();
        var events = await _db.TimelineEvents.AsNoTracking().Where(e => e.CaseId == @case.Id && e.Kind == TimelineEventKind.NoticeSent).ToListAsync();
        events.ShouldHaveSingleItem().Detail.ShouldBe("VictimNudge:Sms");
        events.Single().OccurredAt.ShouldBe(new DateTimeOffset(2026, 6, 3, 0, 0, 0, TimeSpan.Zero));
        (await _db.AccessLog.AsNoTracking().CountAsync(a => a.CaseId == @case.Id && a.ActorRole == PersonNoticeSender.ActorRole)).ShouldBe(1);
    }

    [Fact]
    public async Task The_status_change_before_it_is_sent_is_covered_by_one_nudge_so_she_gets_one_text_not_two()
    {
        // Arrange: assignment (a status change) and a message queue two nudges while she is within her hours.
        var @case = await CaseAsync(ContactChannel.Phone);
        await CompanionWritesAsync(@case);
        (await NoticesAsync(PersonNoticeKind.VictimNudge)).Count.ShouldBe(2);

        // Act
        await Sender().RunOneAsync(default);
        var more = await Sender().RunOneAsync(default);

        // Assert
        more.ShouldBeFalse();
        _sms.Received.ShouldHaveSingleItem();
        var notices = await NoticesAsync(PersonNoticeKind.VictimNudge);
        notices.Count(n => n.State == PersonNoticeState.Sent).ShouldBe(1);
        notices.Count(n => n.State == PersonNoticeState.Dropped && n.LastError == "covered").ShouldBe(1);
    }

    [Fact]
    public async Task A_failing_sms_gateway_is_retried_after_its_back_off_and_the_text_goes_once()
    {
        // Arrange
        var @case = await CaseAsync(ContactChannel.Text, nameTheCenter: true);
        _sms.FailNext = 1;

        // Act
        await Sender().RunOneAsync(default);
        var failed = (await NoticesAsync(PersonNoticeKind.VictimNudge)).Single(n => n.State == PersonNoticeState.Waiting);
        var beforeBackOff = await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var retried = await Sender().RunOneAsync(default);

        // Assert
        failed.LastError.ShouldBe("http-503");
        failed.Attempts.ShouldBe(1);
        failed.NotBefore.ShouldBe(Morning.AddMinutes(1));
        beforeBackOff.ShouldBeFalse();
        retried.ShouldBeTrue();
        _sms.Requests.ShouldBe(2);
        var sms = _sms.Received.ShouldHaveSingleItem();
        sms.Text.ShouldContain("서울 디지털성범죄 안심지원센터"); // she allowed the center's name
        ShouldBeContentFree(sms.Text, @case);
        (await NoticesAsync(PersonNoticeKind.VictimNudge)).Single(n => n.State == PersonNoticeState.Sent).Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task A_gateway_failing_every_time_parks_the_nudge_with_its_reason_and_keeps_it()
    {
        await CaseAsync(ContactChannel.Text);
        _sms.FailNext = 100;

        for (var i = 0; i < 3; i++)
        {
            await Sender().RunOneAsync(default);
            _clock.Advance(TimeSpan.FromMinutes(20));
        }
        var after = await Sender().RunOneAsync(default);

        after.ShouldBeFalse();
        var parked = (await NoticesAsync(PersonNoticeKind.VictimNudge)).ShouldHaveSingleItem();
        parked.State.ShouldBe(PersonNoticeState.Parked);
        parked.LastError.ShouldBe("http-503");
        parked.Attempts.ShouldBe(3);
        _sms.Received.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_victim_who_chose_email_gets_an_email_nudge_and_one_who_chose_portal_messages_only_gets_nothing()
    {
        var byEmail = await CaseAsync(ContactChannel.Email);
        var portalOnly = await CaseAsync(ContactChannel.PortalOnly);
        await CompanionWritesAsync(portalOnly);

        var rounds = 0;
        while (await Sender().RunOneAsync(default)) rounds++;

        rounds.ShouldBe(1);
        var mail = _platforms.Inbox.Received.ShouldHaveSingleItem();
        mail.To.ShouldBe([VictimEmail]);
        ShouldBeContentFree(BodyOf(mail), byEmail);
        BodyOf(mail).ShouldNotContain("센터");
        _sms.Received.ShouldBeEmpty();
        (await _db.PersonNotices.AsNoTracking().CountAsync(n => n.CaseId == portalOnly.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task A_nudge_whose_victim_then_chose_portal_messages_only_is_dropped_unsent()
    {
        var @case = await CaseAsync(ContactChannel.Text);
        var tracked = await _db.Cases.SingleAsync(c => c.Id == @case.Id);
        tracked.ChangeSafeContact(SafeContact.PortalOnly, _clock.GetUtcNow());
        await _db.SaveChangesAsync();

        await Sender().RunOneAsync(default);

        _sms.Received.ShouldBeEmpty();
        (await NoticesAsync(PersonNoticeKind.VictimNudge)).ShouldHaveSingleItem().LastError.ShouldBe("channel-changed");
    }

    [Fact]
    public async Task An_unread_message_emails_the_companion_after_the_delay_once_per_window_through_an_smtp_server_that_refuses_then_accepts()
    {
        // Arrange: the victim writes; her companion does not open the file. Another victim of theirs wrote too.
        var @case = await CaseAsync(ContactChannel.PortalOnly);
        const string Crisis = "오늘 밤 너무 힘들어요";
        await VictimWritesAsync(@case, Crisis);
        var other = await CaseAsync(ContactChannel.PortalOnly);
        await VictimWritesAsync(other, "연락 기다릴게요");

        // Act
        var beforeDelay = await Sender().PlanUnreadAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(31));
        var planned = await Sender().PlanUnreadAsync(default);
        var plannedAgain = await Sender().PlanUnreadAsync(default);
        _platforms.Inbox.Answer = InboxAnswer.Reject;
        await Sender().RunOneAsync(default);
        var refused = (await NoticesAsync(PersonNoticeKind.CompanionUnread)).Single();
        _platforms.Inbox.Answer = InboxAnswer.Accept;
        _clock.Advance(TimeSpan.FromMinutes(1));
        var sent = await Sender().RunOneAsync(default);
        await VictimWritesAsync(@case, "한 가지 더 있어요");
        _clock.Advance(TimeSpan.FromMinutes(31));
        var withinWindow = await Sender().PlanUnreadAsync(default);
        _clock.Advance(TimeSpan.FromHours(4));
        var nextWindow = await Sender().PlanUnreadAsync(default);

        // Assert
        beforeDelay.ShouldBe(0);
        planned.ShouldBe(1);
        plannedAgain.ShouldBe(0);
        refused.State.ShouldBe(PersonNoticeState.Waiting);
        refused.LastError!.ShouldStartWith("smtp-rejected");
        sent.ShouldBeTrue();
        var mail = _platforms.Inbox.Received.ShouldHaveSingleItem();
        mail.To.ShouldBe([StaffEmail]);
        var body = BodyOf(mail);
        body.ShouldContain("담당 사례 중 한 곳에 새 메시지가 있습니다");
        ShouldBeContentFree(body, @case, Crisis);
        body.ShouldNotContain("힘들");
        withinWindow.ShouldBe(0);
        nextWindow.ShouldBe(1);
        (await _db.TimelineEvents.AsNoTracking().CountAsync(e => e.CaseId == @case.Id && e.Kind == TimelineEventKind.NoticeSent && e.Detail == "CompanionUnread:Email")).ShouldBe(1);
        (await _db.TimelineEvents.AsNoTracking().CountAsync(e => e.CaseId == other.Id && e.Kind == TimelineEventKind.NoticeSent && e.Detail == "CompanionUnread:Email"))
            .ShouldBe(1, "the one e-mail told of both cases' messages");
    }

    [Fact]
    public async Task An_unread_email_is_dropped_when_the_companion_read_the_messages_before_it_went()
    {
        var @case = await CaseAsync(ContactChannel.PortalOnly);
        await VictimWritesAsync(@case, "안녕하세요");
        _clock.Advance(TimeSpan.FromMinutes(31));
        await Sender().PlanUnreadAsync(default);
        var message = await _db.Messages.SingleAsync(m => m.CaseId == @case.Id && m.Sender == MessageSender.Victim);
        message.MarkRead(_clock.GetUtcNow());
        await _db.SaveChangesAsync();

        await Sender().RunOneAsync(default);

        _platforms.Inbox.Received.ShouldBeEmpty();
        (await NoticesAsync(PersonNoticeKind.CompanionUnread)).ShouldHaveSingleItem().LastError.ShouldBe("read");
    }

    [Fact]
    public async Task Two_senders_at_once_send_a_nudge_once()
    {
        await CaseAsync(ContactChannel.Text);
        var options = Options();
        await using var otherDb = PortalDatabaseTemplate.NewContext(_db.Database.GetConnectionString()!, TestSecrets.Cipher);
        var other = new PersonNoticeSender(otherDb, new SmtpPersonMailer(options), new HttpSmsGateway(_http, options), options, _clock, NullLogger<PersonNoticeSender>.Instance);

        var results = await Task.WhenAll(Sender().RunOneAsync(default), other.RunOneAsync(default));

        results.Count(r => r).ShouldBe(1);
        _sms.Received.ShouldHaveSingleItem();
    }
}
