using System.Net.Http.Json;
using OnSeoulSafe.Cases.Notices;

namespace OnSeoulSafe.Cases.Notifications;

/// <summary>Sends a text message. The portal's only SMS path; tests and <c>./build.sh run</c> use a loopback sink.</summary>
public interface ISmsGateway
{
    Task<SendResult> SendAsync(string phoneNumber, PersonNoticeMessage message, CancellationToken cancellationToken);
}

/// <summary>Sends a notice by e-mail.</summary>
public interface IPersonMailer
{
    Task<SendResult> SendAsync(string address, PersonNoticeMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// E-mail through the center's SMTP server (MailKit): plain text, the notice key as Message-ID (a server or a
/// mailbox can tell a repeat), the whole send within the send timeout. A rejection or a stall is a failure to retry.
/// </summary>
public sealed class SmtpPersonMailer(NotificationOptions options) : IPersonMailer
{
    public Task<SendResult> SendAsync(string address, PersonNoticeMessage message, CancellationToken cancellationToken) =>
        SmtpSending.SendAsync(
            new SmtpSettings(options.SmtpHost, options.SmtpPort, options.SmtpStartTls, options.SmtpUser, options.SmtpPassword, options.From, options.SendTimeout),
            address, message.Key.Replace(':', '.') + "@onseoulsafe", message.Subject, message.Text, cancellationToken);
}

/// <summary>
/// An SMS gateway reached over HTTP: POST <c>{"to","text"}</c> as JSON with the notice key as Idempotency-Key. A 2xx
/// is sent; 408, 429, 5xx, a time-out or a network fault are retried; any other status parks the notice.
/// </summary>
public sealed class HttpSmsGateway(HttpClient client, NotificationOptions options) : ISmsGateway
{
    public async Task<SendResult> SendAsync(string phoneNumber, PersonNoticeMessage message, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(options.SmsEndpoint, UriKind.Absolute, out var endpoint)) return new SendResult(SendOutcome.Unsendable, Reason: "sms-not-configured");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.SendTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(new { to = phoneNumber, text = message.Text }) };
            request.Headers.Add("Idempotency-Key", message.Key);
            using var response = await client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300) return new SendResult(SendOutcome.Sent);
            if (status is 408 or 429 or >= 500) return new SendResult(SendOutcome.Failed, Reason: "http-" + status);
            return new SendResult(SendOutcome.Unsendable, Reason: "http-" + status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Failed, Reason: "timeout");
        }
        catch (HttpRequestException)
        {
            return new SendResult(SendOutcome.Failed, Reason: "network");
        }
    }
}
