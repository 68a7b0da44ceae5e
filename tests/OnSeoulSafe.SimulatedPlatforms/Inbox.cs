using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace OnSeoulSafe.SimulatedPlatforms;

/// <summary>A message the inbox accepted: envelope and the raw message as sent.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Raw, DateTimeOffset ReceivedAt);

/// <summary>
/// An SMTP sink on 127.0.0.1 standing in for platforms' abuse inboxes: it accepts and records every message, or
/// rejects each one, or stalls without answering, as configured.
/// </summary>
public sealed class Inbox : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private Task _running = Task.CompletedTask;

    private Inbox(int port, InboxAnswer answer)
    {
        Port = port;
        Answer = answer;
    }

    public int Port { get; }

    public InboxAnswer Answer { get; set; }

    public IReadOnlyCollection<ReceivedMail> Received => _received.ToArray();

    internal static Task<Inbox> StartAsync(int port, InboxAnswer answer, CancellationToken cancellationToken)
    {
        var inbox = new Inbox(port, answer);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("127.0.0.1")
            .Endpoint(e => e.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(inbox));
        var server = new SmtpServer.SmtpServer(options, services);
        inbox._running = server.StartAsync(inbox._stop.Token);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(inbox);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }
        _stop.Dispose();
    }

    private sealed class Store(Inbox inbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            switch (inbox.Answer)
            {
                case InboxAnswer.Reject:
                    return SmtpResponse.TransactionFailed;
                case InboxAnswer.Stall:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    return SmtpResponse.TransactionFailed;
            }
            var raw = Encoding.UTF8.GetString(buffer.ToArray());
            var to = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            inbox._received.Enqueue(new ReceivedMail($"{transaction.From.User}@{transaction.From.Host}", to, raw, DateTimeOffset.UtcNow));
            return SmtpResponse.Ok;
        }
    }
}
