using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Notifications;

/// <summary>Settings of the notices to people (<c>Portal:Notifications</c>). Nothing is sent unless <see cref="Enabled"/>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Portal:Notifications";

    public bool Enabled { get; set; }

    /// <summary>How often the sender looks for due notices and for companions' unread messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A victim's message unread this long puts an e-mail to her companion in the outbox.</summary>
    public TimeSpan UnreadDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>At most one unread-message e-mail per companion in each window of this length.</summary>
    public TimeSpan UnreadWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>The center's SMTP server (MailKit).</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public bool SmtpStartTls { get; set; } = true;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>The sender address; a neutral one, as a victim's mailbox may be read by someone else.</summary>
    public string From { get; set; } = "no-reply@onseoulsafe.invalid";

    /// <summary>The SMS gateway's HTTP endpoint (JSON <c>{"to","text"}</c> with an Idempotency-Key header).</summary>
    public string? SmsEndpoint { get; set; }

    /// <summary>The center's name, used in a nudge only when the victim allowed it.</summary>
    public string CenterName { get; set; } = "서울 디지털성범죄 안심지원센터";

    /// <summary>One send, connecting included.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sender holds a notice before another may take it (longer than <see cref="SendTimeout"/>).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Tries before a notice is parked; between them 1, 4, 16 … minutes, capped.</summary>
    public int MaxAttempts { get; set; } = 6;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    public TimeSpan RetryDelay(int attempts) => RetryBackoff.Delay(RetryBaseDelay, RetryMaxDelay, attempts);
}
