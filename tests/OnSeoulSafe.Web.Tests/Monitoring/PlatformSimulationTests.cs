using System.Net;
using System.Net.Http.Json;
using System.Net.Mail;
using System.Security.Cryptography;
using AngleSharp.Html.Parser;
using OnSeoulSafe.SimulatedPlatforms;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Monitoring;

/// <summary>The simulated platforms the monitoring tests and the demo rely on: boards, notices, the inbox, hostile pages.</summary>
public sealed class PlatformSimulationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private PlatformSimulation _platforms = null!;

    public async Task InitializeAsync()
    {
        _platforms = await PlatformSimulation.StartAsync(new SimulatedPlatformsSettings(
        [
            new BoardSettings("removes", NoticeAnswer.RemoveAfterDelay, Posts: 2) { RemovalDelay = TimeSpan.FromHours(2) },
            new BoardSettings("refuses", NoticeAnswer.Refuse, Posts: 1, FirstPicture: 2),
            new BoardSettings("silent", NoticeAnswer.NeverAnswer, Posts: 1, FirstPicture: 3),
            new BoardSettings("hostile", Posts: 1, FirstPicture: 4, Hostile: true),
        ]), _clock);
    }

    public async Task DisposeAsync() => await _platforms.DisposeAsync();

    [Fact]
    public async Task Each_board_is_its_own_host_on_loopback_and_its_posts_show_pictures_every_way_a_page_can()
    {
        var removes = _platforms["removes"];
        var board = await new HtmlParser().ParseDocumentAsync(await Http.GetStringAsync(removes.Url("/")));
        var post = await new HtmlParser().ParseDocumentAsync(await Http.GetStringAsync(removes.Url("/post/0")));

        _platforms.Boards.Select(b => b.Port).Distinct().Count().ShouldBe(4);
        _platforms.Boards.ShouldAllBe(b => b.BaseUrl.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        board.QuerySelectorAll("a[href^='/post/']").Length.ShouldBe(2);
        post.QuerySelector("meta[property='og:image']")!.GetAttribute("content").ShouldBe("/media/0/cover.jpg");
        post.QuerySelector("img[src='/media/0/photo.jpg']").ShouldNotBeNull();
        post.QuerySelector("video source[src='/media/0/clip.mp4']").ShouldNotBeNull();
        post.QuerySelector("source[srcset='/media/0/crop.jpg']").ShouldNotBeNull();
        post.QuerySelector("a[href='/media/0/full.png']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Copies_are_real_pictures_changed_the_way_reuploads_change_them()
    {
        var removes = _platforms["removes"];
        var original = _platforms.Picture(0).Original;

        var exact = await Http.GetByteArrayAsync(removes.Url("/media/0/photo.jpg"));
        var reencoded = await Http.GetByteArrayAsync(removes.Url("/media/1/photo.jpg"));
        var resized = await Http.GetByteArrayAsync(removes.Url("/media/0/cover.jpg"));
        var png = await Http.GetByteArrayAsync(removes.Url("/media/0/full.png"));

        SHA256.HashData(exact).ShouldBe(SHA256.HashData(original));
        SHA256.HashData(resized).ShouldNotBe(SHA256.HashData(original));
        resized[..3].ShouldBe(new byte[] { 0xFF, 0xD8, 0xFF });
        png[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        using var decodedResized = SkiaSharp.SKBitmap.Decode(resized);
        decodedResized.Width.ShouldBe(480);
        SHA256.HashData(reencoded).ShouldNotBe(SHA256.HashData(_platforms.Picture(1).Original));
        _platforms.Picture(0).Original.ShouldBe(DemoPictures.Make(0).Original, "the same picture every start");
    }

    [Fact]
    public async Task A_notice_to_a_board_that_removes_takes_the_content_down_after_its_delay_on_the_given_clock()
    {
        var removes = _platforms["removes"];
        var post = removes.Url("/post/0");
        var photo = removes.Url("/media/0/photo.jpg");

        var answer = await Http.PostAsJsonAsync(removes.NoticeUrl, new { addresses = new[] { post, photo }, reference = "SDS-2026-000001" });
        var stillThere = (await Http.GetAsync(photo)).StatusCode;
        _clock.Advance(TimeSpan.FromHours(2));
        var postAfter = (await Http.GetAsync(post)).StatusCode;
        var photoAfter = (await Http.GetAsync(photo)).StatusCode;
        var otherPost = (await Http.GetAsync(removes.Url("/post/1"))).StatusCode;

        answer.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await answer.Content.ReadAsStringAsync()).ShouldContain("\"ticket\":\"RE-00001\"");
        stillThere.ShouldBe(HttpStatusCode.OK);
        postAfter.ShouldBe(HttpStatusCode.NotFound);
        photoAfter.ShouldBe(HttpStatusCode.Gone);
        otherPost.ShouldBe(HttpStatusCode.OK);
        _platforms.Notices.ShouldHaveSingleItem().Reference.ShouldBe("SDS-2026-000001");
    }

    [Fact]
    public async Task A_board_that_refuses_answers_422_and_keeps_the_content_and_a_form_notice_is_read_too()
    {
        var refuses = _platforms["refuses"];
        using var form = new FormUrlEncodedContent([new("addresses", refuses.Url("/post/0")), new("reference", "SDS-2026-000002")]);

        var answer = await Http.PostAsync(refuses.NoticeUrl, form);
        _clock.Advance(TimeSpan.FromDays(10));

        answer.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await Http.GetAsync(refuses.Url("/post/0"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        _platforms.Notices.ShouldHaveSingleItem().Addresses.ShouldBe([refuses.Url("/post/0")]);
    }

    [Fact]
    public async Task A_board_that_never_answers_keeps_the_request_open_until_the_sender_gives_up()
    {
        var silent = _platforms["silent"];
        using var giveUp = new CancellationTokenSource();

        var sending = Http.PostAsJsonAsync(silent.NoticeUrl, new { addresses = new[] { silent.Url("/post/0") } }, giveUp.Token);
        var received = await WaitForAsync(() => _platforms.Notices.Count == 1);
        var answeredMeanwhile = sending.IsCompleted;
        await giveUp.CancelAsync();

        received.ShouldBeTrue();
        answeredMeanwhile.ShouldBeFalse();
        await Should.ThrowAsync<TaskCanceledException>(() => sending);
        _platforms.Notices.ShouldHaveSingleItem().Board.ShouldBe("silent");
    }

    /// <summary>Waits (10 s at most) until the condition holds; false when it never did.</summary>
    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(20);
        }
        return true;
    }

    [Fact]
    public async Task The_inbox_records_what_it_accepts_and_rejects_when_told_to()
    {
#pragma warning disable SYSLIB0014 // SmtpClient is enough to speak to the sink; the portal itself sends with MailKit.
        using var smtp = new SmtpClient("127.0.0.1", _platforms.Inbox.Port) { Timeout = 10_000 };
#pragma warning restore SYSLIB0014
        using var message = new MailMessage("notices@onseoulsafe.example", "abuse@board.example", "Removal request", "Please remove.");

        await smtp.SendMailAsync(message);
        _platforms.Inbox.Answer = InboxAnswer.Reject;
        var rejected = await Should.ThrowAsync<SmtpException>(() => smtp.SendMailAsync(message));

        var mail = _platforms.Inbox.Received.ShouldHaveSingleItem();
        mail.To.ShouldBe(["abuse@board.example"]);
        mail.Raw.ShouldContain("Please remove.");
        rejected.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_hostile_board_links_to_its_traps_and_other_boards_do_not_serve_them()
    {
        var hostile = _platforms["hostile"];
        var page = await Http.GetStringAsync(hostile.Url("/"));

        var redirect = await Http.GetAsync(hostile.Url("/redirect/7"));
        var notAPicture = await Http.GetAsync(hostile.Url("/media/not-a-picture.jpg"));
        using var huge = await Http.GetAsync(hostile.Url("/huge"), HttpCompletionOption.ResponseHeadersRead);

        page.ShouldContain("href=\"/huge\"");
        page.ShouldContain("src=\"/media/endless.mp4\"");
        redirect.Headers.Location!.OriginalString.ShouldBe("/redirect/8");
        notAPicture.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        huge.Content.Headers.ContentLength.ShouldBeNull();
        (await Http.GetAsync(_platforms["removes"].Url("/huge"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
