using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>
/// A small web server on 127.0.0.1 (a free port) standing in for platforms in re-check tests: pages that are gone,
/// still up, a known file, a redirect loop, a server that never finishes, an oversize body. Counts requests per path.
/// </summary>
public sealed class TestLinkServer : IAsyncDisposable
{
    public static readonly byte[] KnownFile = RandomNumberGenerator.GetBytes(40_000);
    public static readonly string KnownFileSha256 = Convert.ToHexStringLower(SHA256.HashData(KnownFile));
    public const string RemovedMarker = "This content is no longer available";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();

    public ConcurrentQueue<IHeaderDictionary> EchoedHeaders { get; } = new();

    /// <summary>Files a test puts online under <c>/served/{name}</c> (e.g. pictures made at test time).</summary>
    public ConcurrentDictionary<string, byte[]> Served { get; } = new();

    private TestLinkServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public string Url(string path) => BaseUrl + path;

    public static async Task<TestLinkServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new TestLinkServer(app);
        app.Use(async (context, next) =>
        {
            server._hits.AddOrUpdate(context.Request.Path.Value ?? "", 1, (_, n) => n + 1);
            await next(context);
        });
        app.MapGet("/gone404", () => Results.NotFound());
        app.MapGet("/gone410", () => Results.StatusCode(StatusCodes.Status410Gone));
        app.MapGet("/up/{name}", () => Results.Text("<html><body>a post</body></html>", "text/html"));
        app.MapGet("/file/{name}", () => Results.Bytes(KnownFile, "video/mp4"));
        app.MapGet("/served/{name}", (string name) => server.Served.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
        app.MapGet("/removed", () => Results.Text($"<html><body><h1>{RemovedMarker}</h1></body></html>", "text/html"));
        app.MapGet("/loop", () => Results.Redirect("/loop"));
        app.MapGet("/hop/{n:int}", (int n) => n > 0 ? Results.Redirect($"/hop/{n - 1}") : Results.NotFound());
        app.MapGet("/cookie", (HttpContext context) =>
        {
            context.Response.Cookies.Append("session", "tracking-value");
            return Results.Redirect("/echo");
        });
        app.MapGet("/echo", (HttpContext context) =>
        {
            server.EchoedHeaders.Enqueue(new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            return Results.Text("echo");
        });
        app.MapGet("/never-finishes", async (HttpContext context) =>
        {
            context.Response.ContentLength = 50_000;
            await context.Response.WriteAsync("the beginning of a body that never ends", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        app.MapGet("/no-headers", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted));
        app.MapGet("/big", async (HttpContext context) =>
        {
            // No Content-Length: the client only learns the size by reading.
            var chunk = new byte[16 * 1024];
            for (var i = 0; i < 64 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        await app.StartAsync();
        server.BaseUrl = app.Urls.Single().TrimEnd('/');
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A clock tests set by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
