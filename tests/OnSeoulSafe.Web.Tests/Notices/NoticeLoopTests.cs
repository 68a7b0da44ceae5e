using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Matching;
using OnSeoulSafe.Cases.Notices;
using OnSeoulSafe.SimulatedPlatforms;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Notices;

/// <summary>
/// The whole loop on loopback and on the test clock: a request, the notice the portal sends (HTTP endpoint or e-mail),
/// the board's answer, the re-check, and the escalation ladder for a board that never acts.
/// </summary>
public sealed class NoticeLoopTests : IAsyncLifetime, IDisposable
{
    private const string Nickname = "Jiyoung";
    private static readonly DateTimeOffset Start = new(2026, 6, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private PlatformSimulation _platforms = null!;
    private PortalDbContext _db = null!;
    private HttpNoticeChannel _http = null!;
    private Guid _companion;

    public async Task InitializeAsync()
    {
        _platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings(
        [
            new BoardSettings("lantern", NoticeAnswer.RemoveAfterDelay, Posts: 3) { RemovalDelay = TimeSpan.FromMinutes(30) },
            new BoardSettings("harbour", NoticeAnswer.Refuse, Posts: 2),
            new BoardSettings("quiet", NoticeAnswer.NeverAnswer, Posts: 2),
        ]), _clock);
        _db = PortalDatabaseTemplate.NewContext(await PortalDatabaseTemplate.CreateDatabaseAsync("notices"), TestSecrets.Cipher);
        var staff = new StaffMember { UserName = "deletion.team@onseoulsafe.example", Email = "deletion.team@onseoulsafe.example", FirstName = "Team", FullName = "Deletion Team", CreatedAt = Start };
        _db.Users.Add(staff);
        await _db.SaveChangesAsync();
        _companion = staff.Id;
        _http = new HttpNoticeChannel(Options());
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _platforms.DisposeAsync();
    }

    /// <param name="sendTimeout">Short by default, for the tests of endpoints that never answer; a send that must
    /// succeed on a loaded machine gets longer.</param>
    private NoticeOptions Options(TimeSpan? sendTimeout = null) => new()
    {
        Enabled = true,
        AllowPrivateAddresses = true,
        SendTimeout = sendTimeout ?? TimeSpan.FromSeconds(1),
        SmtpHost = "127.0.0.1",
        SmtpPort = _platforms.Inbox.Port,
        SmtpStartTls = false,
        MaxAttempts = 2,
        RetryBaseDelay = TimeSpan.FromMinutes(1),
    };

    private NoticeSender Sender(TimeSpan? sendTimeout = null) =>
        new(_db, new NoticeChannels(new SmtpNoticeChannel(Options(sendTimeout)), _http), Options(sendTimeout), _clock, NullLogger<NoticeSender>.Instance);

    private EscalationLadder Ladder() => new(_db, Options(), _clock, NullLogger<EscalationLadder>.Instance);

    private async Task<Platform> PlatformAsync(string name, NoticeDelivery delivery, string address, string language = "ko", string? bodyTemplate = null, TimeSpan? interval = null)
    {
        var platform = new Platform(name, [name.ToLowerInvariant() + ".example"], RequestChannel.WebForm, null, StartingTemplate("ko"), StartingTemplate("en"));
        platform.ConfigureNotices(delivery, address, NoticeBodyFormat.Json, bodyTemplate, language, interval ?? TimeSpan.Zero, TimeSpan.FromHours(24));
        _db.Platforms.Add(platform);
        await _db.SaveChangesAsync();
        return platform;
    }

    private static string StartingTemplate(string language) => language == "ko"
        ? "{platform} 삭제 요청\n접수번호: {reference}\n{links}\n근거: {legal_basis}"
        : "Removal request to {platform}\nReference: {reference}\n{links}\nBasis: {legal_basis}";

    /// <summary>A case (named, with a narrative) whose link on the platform a companion requests; returns the case and the item.</summary>
    private async Task<(Case Case, long ItemId)> RequestedAsync(Platform platform, string url)
    {
        var @case = await TestCases.OpenAsync(_db, _clock.GetUtcNow(), nickname: Nickname, deletionConsent: true);
        var ledger = new ContentLedger(_db, TestSecrets.Fingerprints, _clock);
        var added = await ledger.AddLinksAsync(@case, [new NewLink(url, ContentKind.Image, platform.Id)], ContentFinder.Victim, _companion, default);
        await _db.SaveChangesAsync();
        await ledger.RequestDeletionAsync(@case, null, "ko", _companion, default);
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
        return (@case, added.Entries.Single().Item.Id);
    }

    private async Task<ContentItem> ItemAsync(long id)
    {
        _db.ChangeTracker.Clear();
        return await _db.ContentItems.AsNoTracking().Include(c => c.History).SingleAsync(c => c.Id == id);
    }

    private Task<List<DeletionNotice>> NoticesAsync(long itemId) =>
        _db.DeletionNotices.AsNoTracking().Where(n => n.ContentItemId == itemId).OrderBy(n => n.Id).ToListAsync();

    private async Task<RecheckSummary> RecheckAsync()
    {
        var options = new RecheckOptions { Enabled = true, AllowPrivateAddresses = true, RecheckAfter = TimeSpan.Zero, TotalTimeout = TimeSpan.FromSeconds(5) };
        using var probe = new LinkProbe(options);
        var runner = new RecheckRunner(_db, probe, new EvidenceHashes(_db, _clock), new ContentLedger(_db, TestSecrets.Fingerprints, _clock),
            new PerceptualMatches(_db, new HashBankIndex()), _clock, Microsoft.Extensions.Options.Options.Create(options), NullLogger<RecheckRunner>.Instance);
        var summary = await runner.RunOnceAsync(default);
        _db.ChangeTracker.Clear();
        return summary;
    }

    [Fact]
    public async Task A_request_goes_out_as_a_notice_the_board_removes_the_content_and_the_recheck_verifies_it_gone()
    {
        // Arrange
        var lantern = _platforms["lantern"];
        var platform = await PlatformAsync("Lantern", NoticeDelivery.HttpEndpoint, lantern.NoticeUrl);
        var url = lantern.Url("/post/0");
        var (@case, itemId) = await RequestedAsync(platform, url);

        // Act: the sender works the outbox; the board's delay passes; the re-check runs.
        var sent = await Sender().RunOneAsync(default);
        var again = await Sender().RunOneAsync(default);
        var sentAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromMinutes(31));
        var check = await RecheckAsync();
        _clock.Advance(TimeSpan.FromHours(24));
        var climbed = await Ladder().RunOnceAsync(default);

        // Assert
        sent.ShouldBeTrue();
        again.ShouldBeFalse();
        var received = _platforms.Notices.ShouldHaveSingleItem();
        received.Board.ShouldBe("lantern");
        received.Addresses.ShouldBe([url]);
        received.Reference.ShouldBe(@case.Reference);
        received.Body.ShouldNotContain(Nickname);
        received.Body.ShouldNotContain("what happened");
        var notice = (await NoticesAsync(itemId)).ShouldHaveSingleItem();
        notice.State.ShouldBe(NoticeState.Answered);
        notice.SentAt.ShouldBe(sentAt);
        notice.PlatformReference.ShouldBe(received.Ticket);
        check.Gone.ShouldBe(1);
        var item = await ItemAsync(itemId);
        item.Status.ShouldBe(ContentStatus.VerifiedGone);
        item.EscalationDueAt.ShouldBeNull();
        item.History.Select(h => h.Note).ShouldContain("notice:First:answered");
        climbed.ShouldBe(0);
    }

    [Fact]
    public async Task A_board_that_refuses_records_the_refusal_on_the_ledger()
    {
        var harbour = _platforms["harbour"];
        var platform = await PlatformAsync("Harbour", NoticeDelivery.HttpEndpoint, harbour.NoticeUrl);
        var (_, itemId) = await RequestedAsync(platform, harbour.Url("/post/1"));

        (await Sender().RunOneAsync(default)).ShouldBeTrue();

        var notice = (await NoticesAsync(itemId)).ShouldHaveSingleItem();
        notice.State.ShouldBe(NoticeState.Answered);
        notice.LastError.ShouldBe("http-422");
        var item = await ItemAsync(itemId);
        item.Status.ShouldBe(ContentStatus.Refused);
        item.History.Select(h => h.Note).ShouldContain("notice:First:refused");
        item.EscalationDueAt.ShouldBe(_clock.GetUtcNow().AddHours(24));
    }

    [Fact]
    public async Task A_board_that_never_answers_is_retried_then_parked_and_climbs_the_ladder_to_the_regulator_step()
    {
        // Arrange
        var quiet = _platforms["quiet"];
        var platform = await PlatformAsync("Quiet", NoticeDelivery.HttpEndpoint, quiet.NoticeUrl);
        var (_, itemId) = await RequestedAsync(platform, quiet.Url("/post/0"));

        // Act: a try that times out, the back-off, the last try; then the platform's time runs out twice.
        await Sender().RunOneAsync(default);
        var afterFirst = (await NoticesAsync(itemId)).Single();
        var tooEarly = await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Sender().RunOneAsync(default);
        var parked = (await NoticesAsync(itemId)).Single();
        _clock.Advance(TimeSpan.FromHours(24));
        var toSecond = await Ladder().RunOnceAsync(default);
        await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromHours(24));
        var toRegulator = await Ladder().RunOnceAsync(default);
        _clock.Advance(TimeSpan.FromDays(30));
        var waitsForPerson = await Ladder().RunOnceAsync(default);

        // Assert
        afterFirst.State.ShouldBe(NoticeState.Waiting);
        afterFirst.LastError.ShouldBe("timeout");
        afterFirst.NotBefore.ShouldBe(Start.AddMinutes(1));
        tooEarly.ShouldBeFalse();
        parked.State.ShouldBe(NoticeState.Parked);
        parked.Attempts.ShouldBe(2);
        toSecond.ShouldBe(1);
        toRegulator.ShouldBe(1);
        waitsForPerson.ShouldBe(0);
        var notices = await NoticesAsync(itemId);
        notices.Select(n => (n.Step, n.State)).ShouldBe([(NoticeStep.First, NoticeState.Parked), (NoticeStep.Second, NoticeState.Parked)]);
        // Four tries at most reached the board (it records a notice while the sender may already have given up on it).
        _platforms.Notices.Count.ShouldBeInRange(1, 4);
        var item = await ItemAsync(itemId);
        item.EscalationStep.ShouldBe(EscalationStep.RegulatorReport);
        item.EscalationDueAt.ShouldBeNull();
        item.Status.ShouldBe(ContentStatus.Requested);
        var notes = item.History.OrderBy(h => h.Id).Select(h => h.Note).ToList();
        notes.ShouldContain("notice:First:failed:timeout");
        notes.ShouldContain("notice:First:parked:timeout");
        notes.ShouldContain("ladder:SecondNotice");
        notes.ShouldContain("ladder:RegulatorReport");
    }

    [Fact]
    public async Task E_mail_notices_reach_the_inbox_and_an_unanswered_platform_climbs_to_the_investigation_track()
    {
        // Arrange
        var platform = await PlatformAsync("Mailbox", NoticeDelivery.Email, "abuse@mailbox.example", language: "en");
        var url = "https://mailbox.example/v/1";
        var (@case, itemId) = await RequestedAsync(platform, url);

        // Act
        (await Sender().RunOneAsync(default)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromHours(24));
        (await Ladder().RunOnceAsync(default)).ShouldBe(1);
        (await Sender().RunOneAsync(default)).ShouldBeTrue();
        _clock.Advance(TimeSpan.FromHours(24));
        (await Ladder().RunOnceAsync(default)).ShouldBe(1);
        var item = await _db.ContentItems.Include(c => c.Requests).SingleAsync(c => c.Id == itemId);
        item.RecordRegulatorReportSent(_companion, _clock.GetUtcNow(), TimeSpan.FromDays(7));
        await _db.SaveChangesAsync();
        _clock.Advance(TimeSpan.FromDays(7));
        (await Ladder().RunOnceAsync(default)).ShouldBe(1);

        // Assert
        var mails = _platforms.Inbox.Received.Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Raw)))).ToList();
        mails.Count.ShouldBe(2);
        mails.ShouldAllBe(m => m.To.Mailboxes.Single().Address == "abuse@mailbox.example");
        (mails[0].TextBody ?? "").ShouldContain(url);
        (mails[0].TextBody ?? "").ShouldContain(@case.Reference);
        (mails[0].TextBody ?? "").ShouldNotContain(Nickname);
        mails[1].Subject.ShouldStartWith("[Second notice]");
        (mails[1].TextBody ?? "").ShouldContain("This is a second notice");
        (await NoticesAsync(itemId)).ShouldAllBe(n => n.State == NoticeState.Sent);
        var after = await ItemAsync(itemId);
        after.EscalationStep.ShouldBe(EscalationStep.Investigation);
        after.History.Select(h => h.Note).ShouldContain("ladder:Investigation");
        (await Ladder().CountsAsync(default)).ShouldContain(c => c.Platform == "Mailbox" && c.Step == EscalationStep.Investigation && c.Items == 1 && c.Overdue == 0);
    }

    [Fact]
    public async Task An_e_mail_notice_to_a_boards_mailbox_removes_the_content_after_its_delay_and_the_recheck_verifies_it_gone()
    {
        // Arrange
        var lantern = _platforms["lantern"];
        var platform = await PlatformAsync("LanternMail", NoticeDelivery.Email, lantern.NoticeMailbox, language: "en");
        var url = lantern.Url("/post/1");
        var (@case, itemId) = await RequestedAsync(platform, url);

        // Act: the notice goes out by e-mail; the re-check runs before and after the board's 30 minutes.
        var sent = await Sender(TimeSpan.FromSeconds(30)).RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(29));
        var early = await RecheckAsync();
        var beforeDelay = await ItemAsync(itemId);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var check = await RecheckAsync();

        // Assert
        sent.ShouldBeTrue();
        var mail = _platforms.Inbox.Received.ShouldHaveSingleItem();
        mail.To.ShouldBe([lantern.NoticeMailbox]);
        mail.Raw.ShouldNotContain(Nickname);
        _platforms.Notices.ShouldBeEmpty();
        (await NoticesAsync(itemId)).ShouldHaveSingleItem().State.ShouldBe(NoticeState.Sent);
        early.StillUp.ShouldBe(1);
        beforeDelay.Status.ShouldBe(ContentStatus.Requested);
        check.Gone.ShouldBe(1);
        var item = await ItemAsync(itemId);
        item.Status.ShouldBe(ContentStatus.VerifiedGone);
        item.EscalationDueAt.ShouldBeNull();
        item.History.Select(h => h.Note).ShouldContain("notice:First:sent");
        (await _db.DeletionRequests.AsNoTracking().SingleAsync(r => r.ContentItemId == itemId)).VerifiedGoneAt.ShouldBe(_clock.GetUtcNow());
        @case.Reference.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_refusing_boards_mailbox_keeps_the_content_and_a_silent_one_never_answers_so_the_notice_is_retried()
    {
        // Arrange
        var harbour = _platforms["harbour"];
        var quiet = _platforms["quiet"];
        var refusing = await PlatformAsync("HarbourMail", NoticeDelivery.Email, harbour.NoticeMailbox);
        var silent = await PlatformAsync("QuietMail", NoticeDelivery.Email, quiet.NoticeMailbox);
        var (_, keptItem) = await RequestedAsync(refusing, harbour.Url("/post/0"));
        var (_, silentItem) = await RequestedAsync(silent, quiet.Url("/post/1"));

        // Act
        await Sender().RunOneAsync(default);
        await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(31));
        var check = await RecheckAsync();

        // Assert: the refusing board took the message and kept its content; the silent one never took it.
        _platforms.Inbox.Received.ShouldHaveSingleItem().To.ShouldBe([harbour.NoticeMailbox]);
        (await NoticesAsync(keptItem)).Single().State.ShouldBe(NoticeState.Sent);
        var waiting = (await NoticesAsync(silentItem)).Single();
        waiting.State.ShouldBe(NoticeState.Waiting);
        waiting.LastError.ShouldNotBeNull();
        check.StillUp.ShouldBe(2);
        (await ItemAsync(keptItem)).Status.ShouldBe(ContentStatus.Requested);
        (await ItemAsync(silentItem)).Status.ShouldBe(ContentStatus.Requested);
    }

    [Fact]
    public async Task An_smtp_server_that_rejects_is_retried_after_its_back_off_and_the_message_arrives_once()
    {
        var platform = await PlatformAsync("Bouncer", NoticeDelivery.Email, "abuse@bouncer.example");
        var (_, itemId) = await RequestedAsync(platform, "https://bouncer.example/p/1");
        _platforms.Inbox.Answer = InboxAnswer.Reject;

        await Sender().RunOneAsync(default);
        var failed = (await NoticesAsync(itemId)).Single();
        _platforms.Inbox.Answer = InboxAnswer.Accept;
        var beforeBackOff = await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var retried = await Sender().RunOneAsync(default);

        failed.State.ShouldBe(NoticeState.Waiting);
        failed.LastError.ShouldNotBeNull().ShouldStartWith("smtp-rejected");
        beforeBackOff.ShouldBeFalse();
        retried.ShouldBeTrue();
        (await NoticesAsync(itemId)).Single().State.ShouldBe(NoticeState.Sent);
        _platforms.Inbox.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_template_with_a_field_the_portal_does_not_fill_parks_the_notice_with_its_reason_and_the_next_one_goes()
    {
        var lantern = _platforms["lantern"];
        var broken = await PlatformAsync("Broken", NoticeDelivery.HttpEndpoint, lantern.NoticeUrl, bodyTemplate: """{"ref":"{reference}","phone":"{victim_phone}"}""");
        var working = await PlatformAsync("Working", NoticeDelivery.HttpEndpoint, lantern.NoticeUrl,
            bodyTemplate: """{"reference":"{reference}","addresses":{addresses},"note":"{text}"}""");
        var (_, brokenItem) = await RequestedAsync(broken, lantern.Url("/post/1"));
        var (_, workingItem) = await RequestedAsync(working, lantern.Url("/post/2"));

        (await Sender().RunOneAsync(default)).ShouldBeTrue();
        (await Sender().RunOneAsync(default)).ShouldBeTrue();

        var parked = (await NoticesAsync(brokenItem)).Single();
        parked.State.ShouldBe(NoticeState.Parked);
        parked.LastError.ShouldBe("template-field:victim_phone");
        (await NoticesAsync(workingItem)).Single().State.ShouldBe(NoticeState.Answered);
        _platforms.Notices.ShouldHaveSingleItem().Addresses.ShouldBe([lantern.Url("/post/2")]);
    }

    [Fact]
    public async Task A_platforms_rate_spaces_its_notices_and_a_second_sender_never_takes_the_same_notice()
    {
        var lantern = _platforms["lantern"];
        var platform = await PlatformAsync("Paced", NoticeDelivery.HttpEndpoint, lantern.NoticeUrl, interval: TimeSpan.FromMinutes(10));
        await RequestedAsync(platform, lantern.Url("/post/0"));
        await RequestedAsync(platform, lantern.Url("/post/1"));

        var first = await Sender().RunOneAsync(default);
        var withinInterval = await Sender().RunOneAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var next = await Sender().RunOneAsync(default);

        first.ShouldBeTrue();
        withinInterval.ShouldBeFalse();
        next.ShouldBeTrue();
        _platforms.Notices.Count.ShouldBe(2);
        _platforms.Notices.Select(n => n.Addresses.Single()).Distinct().Count().ShouldBe(2);
    }
}
