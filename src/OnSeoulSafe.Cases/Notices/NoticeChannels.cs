using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OnSeoulSafe.Cases.Deletion;

namespace OnSeoulSafe.Cases.Notices;

/// <summary>How one send ended.</summary>
public enum SendOutcome
{
    /// <summary>The inbox or endpoint took the notice; the platform has not answered it yet.</summary>
    Sent,

    /// <summary>The endpoint accepted the notice and answered (with its own reference when it gave one).</summary>
    Accepted,

    /// <summary>The endpoint answered that it will not remove the content.</summary>
    Refused,

    /// <summary>Worth trying again later (a timeout, a rejection, a 503).</summary>
    Failed,

    /// <summary>Can never go as configured (no SMTP server, an address not allowed): parked for a person.</summary>
    Unsendable,
}

/// <summary>What a channel reports: the outcome, the platform's reference, and a short reason word (never a message text).</summary>
public sealed record SendResult(SendOutcome Outcome, string? PlatformReference = null, string? Reason = null);

/// <summary>Sends one notice to one address.</summary>
public interface INoticeChannel
{
    Task<SendResult> SendAsync(NoticeMessage message, string address, CancellationToken cancellationToken);
}

/// <summary>
/// E-mail notices through the center's SMTP server (MailKit): plain text, the notice key as Message-ID, the whole
/// send (connecting included) within the send timeout. A server that rejects or stalls is a failure to retry.
/// </summary>
public sealed class SmtpNoticeChannel(NoticeOptions options) : INoticeChannel
{
    public Task<SendResult> SendAsync(NoticeMessage message, string address, CancellationToken cancellationToken) =>
        SmtpSending.SendAsync(
            new SmtpSettings(options.SmtpHost, options.SmtpPort, options.SmtpStartTls, options.SmtpUser, options.SmtpPassword, options.From, options.SendTimeout),
            address, NoticeText.NoticeKey(message.NoticeId) + "@onseoulsafe", message.Subject, message.Text, cancellationToken);
}

/// <summary>
/// Notices POSTed to a platform's HTTP endpoint: the body from the platform's template, the notice key as
/// Idempotency-Key, no redirects followed, no cookies, the send timeout, and (as the re-check's fetcher) no private or
/// loopback destination unless allowed. A 2xx is accepted (the answer's <c>ticket</c>, <c>reference</c> or <c>id</c> is
/// the platform's reference); 408, 429 and 5xx are retried; any other status is the platform's refusal.
/// </summary>
public sealed class HttpNoticeChannel : INoticeChannel, IDisposable
{
    private readonly NoticeOptions _options;
    private readonly HttpClient _client;

    public HttpNoticeChannel(NoticeOptions options)
    {
        _options = options;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = options.SendTimeout,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<SendResult> SendAsync(NoticeMessage message, string address, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            return new SendResult(SendOutcome.Unsendable, Reason: "bad-address");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
            {
                Content = new StringContent(message.Body, Encoding.UTF8, message.ContentType),
            };
            request.Headers.Add("Idempotency-Key", NoticeText.NoticeKey(message.NoticeId));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var answer = await ReadAnswerAsync(response, timeout.Token);
            if (status is >= 200 and < 300) return new SendResult(SendOutcome.Accepted, answer);
            if (status is 408 or 429 or >= 500) return new SendResult(SendOutcome.Failed, Reason: "http-" + status);
            return new SendResult(SendOutcome.Refused, answer, "http-" + status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Failed, Reason: "timeout");
        }
        catch (HttpRequestException e) when (e.InnerException is DestinationRefusedException refused)
        {
            return new SendResult(SendOutcome.Unsendable, Reason: refused.Reason);
        }
        catch (HttpRequestException)
        {
            return new SendResult(SendOutcome.Failed, Reason: "network");
        }
    }

    /// <summary>The platform's reference from a JSON answer (at most 4 KiB read), or null.</summary>
    private static async Task<string?> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true) return null;
        var buffer = new byte[4096];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n && n > 0) read += n;
        try
        {
            using var json = JsonDocument.Parse(buffer.AsMemory(0, read));
            foreach (var name in (string[])["ticket", "reference", "id"])
            {
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    var text = value.ToString();
                    return text.Length > 200 ? text[..200] : text;
                }
            }
        }
        catch (JsonException)
        {
            // An answer that is not JSON carries no reference; the status said enough.
        }
        return null;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0) throw new DestinationRefusedException("no-address");
        if (!_options.AllowPrivateAddresses && addresses.Any(a => !AddressRules.IsPublic(a))) throw new DestinationRefusedException("private-address");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();

    private sealed class DestinationRefusedException(string reason) : IOException("The destination address is not allowed.")
    {
        public string Reason { get; } = reason;
    }
}
