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
/// rejects each one, or stalls without answering, as configured. A message to a board's own mailbox
/// (<see cref="PlatformSimulation.Board.NoticeMailbox"/>) is read as that board's notice endpoint reads one: it removes
/// the board's addresses named in the text after the board's delay, or is taken and ignored (a refusing board), or is
/// never answered.
/// </summary>
public sealed partial class Inbox : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _received = new();
    private readonly IReadOnlyList<PlatformSimulation.Board> _boards;
    private readonly TimeProvider _clock;
    private Task _running = Task.CompletedTask;

    private Inbox(int port, InboxAnswer answer, IReadOnlyList<PlatformSimulation.Board> boards, TimeProvider clock)
    {
        Port = port;
        Answer = answer;
        _boards = boards;
        _clock = clock;
    }

    public int Port { get; }

    public InboxAnswer Answer { get; set; }

    public IReadOnlyCollection<ReceivedMail> Received => _received.ToArray();

    internal static Task<Inbox> StartAsync(int port, InboxAnswer answer, IReadOnlyList<PlatformSimulation.Board> boards, TimeProvider clock, CancellationToken cancellationToken)
    {
        var inbox = new Inbox(port, answer, boards, clock);
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

    /// <summary>The board whose mailbox the message is addressed to, if any.</summary>
    private PlatformSimulation.Board? BoardFor(IReadOnlyList<string> to) =>
        _boards.FirstOrDefault(b => to.Contains(b.NoticeMailbox, StringComparer.OrdinalIgnoreCase));

    /// <summary>A board removes the addresses on its own host that the notice's text names, after its delay.</summary>
    private void Act(PlatformSimulation.Board board, string raw)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(raw));
        var text = MimeKit.MimeMessage.Load(stream).TextBody ?? "";
        var removeAt = _clock.GetUtcNow() + board.Settings.RemovalDelay;
        foreach (System.Text.RegularExpressions.Match link in Links().Matches(text))
        {
            if (Uri.TryCreate(link.Value, UriKind.Absolute, out var uri) && uri.Port == board.Port) board.Remove(uri.AbsolutePath, removeAt);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial System.Text.RegularExpressions.Regex Links();

    private sealed class Store(Inbox inbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var to = transaction.To.Select(m => $"{m.User}@{m.Host}").ToList();
            var board = inbox.BoardFor(to);
            var answer = board?.Settings.Notices == NoticeAnswer.NeverAnswer ? InboxAnswer.Stall : board is null ? inbox.Answer : InboxAnswer.Accept;
            switch (answer)
            {
                case InboxAnswer.Reject:
                    return SmtpResponse.TransactionFailed;
                case InboxAnswer.Stall:
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    return SmtpResponse.TransactionFailed;
            }
            var raw = Encoding.UTF8.GetString(buffer.ToArray());
            inbox._received.Enqueue(new ReceivedMail($"{transaction.From.User}@{transaction.From.Host}", to, raw, inbox._clock.GetUtcNow()));
            if (board?.Settings.Notices == NoticeAnswer.RemoveAfterDelay) inbox.Act(board, raw);
            return SmtpResponse.Ok;
        }
    }
}
