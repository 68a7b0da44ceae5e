using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace OnSeoulSafe.Cases.Notices;

/// <summary>The center's SMTP server as both outboxes (platform notices and notices to people) reach it.</summary>
public sealed record SmtpSettings(string? Host, int Port, bool StartTls, string? User, string? Password, string From, TimeSpan SendTimeout);

/// <summary>
/// One plain-text message through the center's SMTP server (MailKit), its key as Message-ID so a server or a mailbox
/// can tell a repeat, the whole send within the send timeout. A rejection or a stall is a failure to retry; no server
/// or an address that cannot be one is unsendable.
/// </summary>
public static class SmtpSending
{
    public static async Task<SendResult> SendAsync(SmtpSettings server, string address, string messageId, string subject, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(server.Host)) return new SendResult(SendOutcome.Unsendable, Reason: "smtp-not-configured");
        if (!MailboxAddress.TryParse(address, out var to)) return new SendResult(SendOutcome.Unsendable, Reason: "bad-address");
        var mail = new MimeMessage { Subject = subject, MessageId = messageId };
        mail.From.Add(MailboxAddress.Parse(server.From));
        mail.To.Add(to);
        mail.Body = new TextPart("plain") { Text = text };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(server.SendTimeout);
        using var client = new SmtpClient { Timeout = (int)server.SendTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(server.Host, server.Port, server.StartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, timeout.Token);
            if (!string.IsNullOrEmpty(server.User)) await client.AuthenticateAsync(server.User, server.Password ?? "", timeout.Token);
            await client.SendAsync(mail, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return new SendResult(SendOutcome.Sent);
        }
        catch (SmtpCommandException e)
        {
            return new SendResult(SendOutcome.Failed, Reason: "smtp-rejected:" + (int)e.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendResult(SendOutcome.Failed, Reason: "timeout");
        }
        catch (Exception e) when (e is TimeoutException or SmtpProtocolException or SocketException or IOException or AuthenticationException or ServiceNotConnectedException)
        {
            return new SendResult(SendOutcome.Failed, Reason: e is TimeoutException ? "timeout" : "smtp-" + e.GetType().Name);
        }
    }
}
