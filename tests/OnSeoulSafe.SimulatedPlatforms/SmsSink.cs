using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OnSeoulSafe.SimulatedPlatforms;

/// <summary>A text message the sink took: the number, the text and the sender's idempotency key.</summary>
public sealed record ReceivedSms(string To, string Text, string? IdempotencyKey);

/// <summary>
/// An SMS gateway standing in for a real one, on 127.0.0.1: POST <c>/sms</c> with <c>{"to","text"}</c>. It records
/// each message, or answers 503 to the next <see cref="FailNext"/> ones. A repeated Idempotency-Key is answered 200
/// and not recorded again, as a real gateway would.
/// </summary>
public sealed class SmsSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSms> _received = new();
    private readonly ConcurrentDictionary<string, bool> _keys = new();
    private readonly WebApplication _app;
    private int _failNext;

    private SmsSink(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}/sms";

    public IReadOnlyCollection<ReceivedSms> Received => _received.ToArray();

    /// <summary>How many of the next messages are answered 503 Service Unavailable.</summary>
    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    /// <summary>How many requests arrived, answered or not (repeats included).</summary>
    public int Requests { get; private set; }

    public static async Task<SmsSink> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        port = port == 0 ? PlatformSimulation.FreePort() : port;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var sink = new SmsSink(app, port);
        app.MapPost("/sms", (Delegate)sink.ReceiveAsync);
        await app.StartAsync(cancellationToken);
        return sink;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        Requests++;
        if (Interlocked.Decrement(ref _failNext) >= 0) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        Interlocked.Exchange(ref _failNext, 0);
        using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 0 && !_keys.TryAdd(key, true)) return Results.Ok(new { repeated = true });
        _received.Enqueue(new ReceivedSms(json.RootElement.GetProperty("to").GetString() ?? "", json.RootElement.GetProperty("text").GetString() ?? "", key.Length > 0 ? key : null));
        return Results.Ok(new { accepted = true });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
