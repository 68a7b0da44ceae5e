using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace OnSeoulSafe.SimulatedPlatforms;

/// <summary>A removal notice a board received.</summary>
public sealed record ReceivedNotice(string Board, string? Ticket, IReadOnlyList<string> Addresses, string? Reference, DateTimeOffset ReceivedAt, string Body);

/// <summary>
/// Simulated platforms on 127.0.0.1: each board on its own port (so each is its own host to a crawler), each with a
/// notice endpoint (<c>POST /notice</c>, JSON <c>{"addresses":[...],"reference":"..."}</c> or a form with
/// <c>addresses</c> one per line), and an e-mail inbox. Removal times follow the clock given, so tests move time by hand.
/// </summary>
public sealed class PlatformSimulation : IAsyncDisposable
{
    private static readonly byte[] DemoClip = MakeClip();
    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Dictionary<int, Board> _boardsByPort;
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _mostAtOnce = new();
    private readonly ConcurrentQueue<ReceivedNotice> _notices = new();
    private readonly Dictionary<int, DemoPicture> _pictures = [];

    private PlatformSimulation(WebApplication app, TimeProvider clock, IReadOnlyList<Board> boards, Inbox inbox)
    {
        _app = app;
        _clock = clock;
        Boards = boards;
        _boardsByPort = boards.ToDictionary(b => b.Port);
        Inbox = inbox;
    }

    public IReadOnlyList<Board> Boards { get; }

    public Inbox Inbox { get; }

    public IReadOnlyCollection<ReceivedNotice> Notices => _notices.ToArray();

    public Board this[string name] => Boards.Single(b => b.Settings.Name == name);

    /// <summary>The demo picture a board's post shows, with its original (what the victim holds) and each copy.</summary>
    public DemoPicture Picture(int number)
    {
        lock (_pictures)
        {
            if (!_pictures.TryGetValue(number, out var picture)) _pictures[number] = picture = DemoPictures.Make(number);
            return picture;
        }
    }

    /// <summary>Requests a board answered for a path (any query ignored).</summary>
    public int Hits(Board board, string path) => _hits.GetValueOrDefault(board.Port.ToString(CultureInfo.InvariantCulture) + path);

    /// <summary>Requests answered per board port and path (any query ignored), for checks that every address was fetched once.</summary>
    public IReadOnlyDictionary<string, int> AllHits => _hits.ToDictionary();

    /// <summary>The most requests a board was answering at one time.</summary>
    public int MostAtOnce(Board board) => _mostAtOnce.GetValueOrDefault(board.Port.ToString(CultureInfo.InvariantCulture));

    /// <summary>The most requests for one address answered at one time, over every board.</summary>
    public int MostAtOnceForOneAddress => _mostAtOnce.Where(m => m.Key.Contains('/', StringComparison.Ordinal)).Select(m => m.Value).DefaultIfEmpty().Max();

    public static async Task<PlatformSimulation> StartAsync(SimulatedPlatformsSettings settings, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        clock ??= TimeProvider.System;
        // Free ports chosen one by one may repeat (a closed listener's port is free again): each board gets its own.
        var taken = settings.Boards.Where(b => b.Port != 0).Select(b => b.Port).ToHashSet();
        var boards = settings.Boards.Select(b => new Board(b, b.Port != 0 ? b.Port : FreePortBesides(taken))).ToList();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var board in boards) kestrel.Listen(IPAddress.Loopback, board.Port);
            kestrel.Limits.MinResponseDataRate = null;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = false);
        var app = builder.Build();
        var inbox = await Inbox.StartAsync(settings.InboxPort == 0 ? FreePortBesides(taken) : settings.InboxPort, settings.Inbox, boards, clock, cancellationToken);
        var platforms = new PlatformSimulation(app, clock, boards, inbox);
        platforms.Map(app);
        await app.StartAsync(cancellationToken);
        return platforms;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var port = context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture);
            var address = port + context.Request.Path.Value;
            _hits.AddOrUpdate(address, 1, (_, n) => n + 1);
            Enter(port);
            Enter(address);
            try
            {
                await next(context);
            }
            finally
            {
                _inFlight.AddOrUpdate(port, 0, (_, n) => n - 1);
                _inFlight.AddOrUpdate(address, 0, (_, n) => n - 1);
            }
        });
        app.MapGet("/", (HttpContext context) => Html(BoardPage(BoardOf(context))));
        app.MapGet("/post/{number:int}", (HttpContext context, int number) =>
        {
            var board = BoardOf(context);
            if (number < 0 || number >= board.Settings.Posts) return Results.NotFound();
            if (board.IsRemoved(context.Request.Path, _clock.GetUtcNow())) return Results.NotFound();
            return Html(board.Settings.Media ? PostPage(board, number) : TextPostPage(board, number));
        });
        app.MapGet("/media/{number:int}/{file}", (HttpContext context, int number, string file) =>
        {
            var board = BoardOf(context);
            if (number < 0 || number >= board.Settings.Posts) return Results.NotFound();
            if (board.IsRemoved(context.Request.Path, _clock.GetUtcNow())) return Results.StatusCode(StatusCodes.Status410Gone);
            var picture = Picture(board.Settings.FirstPicture + number);
            return file switch
            {
                "photo.jpg" => Results.Bytes(picture.Copies[number % 2 == 0 ? CopyKind.Exact : CopyKind.Reencoded], "image/jpeg"),
                "cover.jpg" => Results.Bytes(picture.Copies[CopyKind.Resized], "image/jpeg"),
                "crop.jpg" => Results.Bytes(picture.Copies[CopyKind.Cropped], "image/jpeg"),
                "small.jpg" => Results.Bytes(picture.Copies[CopyKind.Recompressed], "image/jpeg"),
                "full.png" => Results.Bytes(picture.Copies[CopyKind.Png], "image/png"),
                "clip.mp4" => Results.Bytes(DemoClip, "video/mp4"),
                _ => Results.NotFound(),
            };
        });
        app.MapPost("/notice", (Delegate)NoticeAsync);
        MapHostile(app);
    }

    private void Enter(string key)
    {
        var now = _inFlight.AddOrUpdate(key, 1, (_, n) => n + 1);
        _mostAtOnce.AddOrUpdate(key, now, (_, most) => Math.Max(most, now));
    }

    /// <summary>Every path a post shows, for tests that name one.</summary>
    public static IReadOnlyList<string> MediaPaths(int post) =>
        [$"/media/{post}/photo.jpg", $"/media/{post}/cover.jpg", $"/media/{post}/crop.jpg", $"/media/{post}/small.jpg", $"/media/{post}/full.png", $"/media/{post}/clip.mp4"];

    private static string BoardPage(Board board)
    {
        var html = new StringBuilder($"<!doctype html><html><head><title>{board.Settings.Name}</title></head><body><h1>{board.Settings.Name}</h1><ul>");
        for (var i = 0; i < board.Settings.Posts; i++) html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/post/{i}\">post {i}</a></li>");
        html.Append("</ul><p><a href=\"https://example.com/elsewhere\">another site</a> <a href=\"mailto:board@example.com\">write to us</a></p>");
        if (board.Settings.Hostile)
        {
            html.Append("<p><a href=\"/huge\">huge</a> <a href=\"/redirect/0\">redirects</a> <a href=\"/drip\">drip</a>");
            html.Append("<img src=\"/media/not-a-picture.jpg\"><video src=\"/media/endless.mp4\"></video></p>");
        }
        return html.Append("</body></html>").ToString();
    }

    private static string PostPage(Board board, int number) => string.Create(CultureInfo.InvariantCulture, $"""
        <!doctype html><html><head><title>post {number}</title>
        <meta property="og:image" content="/media/{number}/cover.jpg"></head>
        <body><article><h1>post {number} on {board.Settings.Name}</h1>
        <img src="/media/{number}/photo.jpg" alt="">
        <picture><source srcset="/media/{number}/crop.jpg"><img src="/media/{number}/small.jpg" alt=""></picture>
        <video controls><source src="/media/{number}/clip.mp4" type="video/mp4"></video>
        <p><a href="/media/{number}/full.png">full size</a> <a href="/">back</a></p>
        </article></body></html>
        """);

    private static string TextPostPage(Board board, int number) => string.Create(CultureInfo.InvariantCulture, $"""
        <!doctype html><html><head><title>post {number}</title></head>
        <body><article><h1>post {number} on {board.Settings.Name}</h1>
        <p>{new string('.', 1500)}</p>
        <p><a href="/">back</a> <a href="/post/{(number + 1) % board.Settings.Posts}">next</a></p>
        </article></body></html>
        """);

    private async Task<IResult> NoticeAsync(HttpContext context)
    {
        var board = BoardOf(context);
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var (addresses, reference) = ReadNotice(context.Request.ContentType, body);
        if (board.Settings.Notices == NoticeAnswer.NeverAnswer)
        {
            _notices.Enqueue(new ReceivedNotice(board.Settings.Name, null, addresses, reference, _clock.GetUtcNow(), body));
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        if (addresses.Count == 0)
        {
            return Results.Json(new { status = "refused", reason = "no addresses" }, statusCode: StatusCodes.Status400BadRequest);
        }
        if (board.Settings.Notices == NoticeAnswer.Refuse)
        {
            _notices.Enqueue(new ReceivedNotice(board.Settings.Name, null, addresses, reference, _clock.GetUtcNow(), body));
            return Results.Json(new { status = "refused", reason = "not against our rules" }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        var ticket = $"{board.Settings.Name.ToUpperInvariant()[..2]}-{Interlocked.Increment(ref board.Tickets):D5}";
        var removeAt = _clock.GetUtcNow() + board.Settings.RemovalDelay;
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Port == board.Port) board.Remove(uri.AbsolutePath, removeAt);
        }
        _notices.Enqueue(new ReceivedNotice(board.Settings.Name, ticket, addresses, reference, _clock.GetUtcNow(), body));
        return Results.Json(new { status = "accepted", ticket, removeBy = removeAt }, statusCode: StatusCodes.Status202Accepted);
    }

    private static (IReadOnlyList<string> Addresses, string? Reference) ReadNotice(string? contentType, string body)
    {
        try
        {
            if (contentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            {
                using var json = JsonDocument.Parse(body);
                var addresses = json.RootElement.TryGetProperty("addresses", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList()
                    : [];
                var reference = json.RootElement.TryGetProperty("reference", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                return (addresses, reference);
            }
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(body);
            var lines = form.TryGetValue("addresses", out var value) ? value.ToString().Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            return (lines, form.TryGetValue("reference", out var reference2) ? reference2.ToString() : null);
        }
        catch (JsonException)
        {
            return ([], null);
        }
    }

    /// <summary>Behaviours a crawler must survive: each answers only on a hostile board.</summary>
    private void MapHostile(WebApplication app)
    {
        app.MapGet("/huge", async (HttpContext context) =>
        {
            if (!BoardOf(context).Settings.Hostile) return Results.NotFound();
            context.Response.ContentType = "text/html";
            // 50 MB without a Content-Length: the reader only learns the size by reading.
            var chunk = Encoding.ASCII.GetBytes("<p>" + new string('x', 1017) + "</p>\n");
            for (var sent = 0L; sent < 50L * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
            return Results.Empty;
        });
        app.MapGet("/redirect/{n:int}", (HttpContext context, int n) =>
            BoardOf(context).Settings.Hostile ? Results.Redirect($"/redirect/{n + 1}") : Results.NotFound());
        app.MapGet("/drip", async (HttpContext context) =>
        {
            if (!BoardOf(context).Settings.Hostile) return Results.NotFound();
            context.Response.ContentType = "text/html";
            await context.Response.StartAsync(context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync("<"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
            return Results.Empty;
        });
        app.MapGet("/media/not-a-picture.jpg", (HttpContext context) =>
            BoardOf(context).Settings.Hostile ? Html("<html><body>this is a page, not a picture</body></html>") : Results.NotFound());
        app.MapGet("/media/endless.mp4", async (HttpContext context) =>
        {
            if (!BoardOf(context).Settings.Hostile) return Results.NotFound();
            context.Response.ContentType = "video/mp4";
            var chunk = new byte[64 * 1024];
            chunk.AsSpan(0, DemoClip.Length).Clear();
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
            return Results.Empty;
        });
    }

    private Board BoardOf(HttpContext context) => _boardsByPort[context.Connection.LocalPort];

    private static IResult Html(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static byte[] MakeClip()
    {
        // The start of an MP4 file (an ftyp box) and filler: enough for a type check, not a playable video.
        var clip = new byte[24 * 1024];
        "\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2"u8.ToArray().CopyTo(clip, 0);
        new Random(11).NextBytes(clip.AsSpan(24));
        return clip;
    }

    private static int FreePortBesides(HashSet<int> taken)
    {
        int port;
        while (!taken.Add(port = FreePort()))
        {
        }
        return port;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Inbox.DisposeAsync();
    }

    /// <summary>One board: its address, and what its notices removed and when.</summary>
    public sealed class Board(BoardSettings settings, int port)
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _removals = new();
        internal int Tickets;

        public BoardSettings Settings { get; } = settings;
        public int Port { get; } = port;
        public string BaseUrl => $"http://127.0.0.1:{Port}";
        public string Url(string path) => BaseUrl + path;
        public string NoticeUrl => Url("/notice");

        /// <summary>The board's abuse mailbox at the simulated inbox: a notice sent here acts like one to <see cref="NoticeUrl"/>.</summary>
        public string NoticeMailbox => $"abuse@{Settings.Name}.example";

        internal void Remove(string path, DateTimeOffset at) => _removals.AddOrUpdate(path, at, (_, before) => before < at ? before : at);

        public bool IsRemoved(string path, DateTimeOffset now) => _removals.TryGetValue(path, out var at) && at <= now;
    }
}
