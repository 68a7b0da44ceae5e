using OnSeoulSafe.Cases.Data;

namespace OnSeoulSafe.Cases.Notices;

/// <summary>Settings of the notice sender and the escalation ladder (<c>Portal:Notices</c>). Nothing is sent unless <see cref="Enabled"/>.</summary>
public sealed class NoticeOptions
{
    public const string Section = "Portal:Notices";

    public bool Enabled { get; set; }

    /// <summary>How often an idle sender looks for due notices and due steps of the ladder.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The SMTP server e-mail notices go through (the center's own mail server).</summary>
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public bool SmtpStartTls { get; set; } = true;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }

    /// <summary>The sender address of e-mail notices (the center's deletion team).</summary>
    public string From { get; set; } = "deletion@onseoulsafe.invalid";

    /// <summary>One send, connecting included: an SMTP server or endpoint that stalls is given up after this.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sender holds a notice before another may take it (longer than <see cref="SendTimeout"/>).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Tries before a notice is parked for a person; between them 1, 4, 16 … minutes (<see cref="RetryBaseDelay"/>, capped).</summary>
    public int MaxAttempts { get; set; } = 6;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Only for tests and local trials: lets HTTP notices reach loopback and private addresses.</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>How long the regulator (KCSC) has after a report recorded as sent before the investigation track.</summary>
    public TimeSpan RegulatorDeadline { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The delay before try <paramref name="attempts"/> + 1: the base, times four per try made, capped.</summary>
    public TimeSpan RetryDelay(int attempts) => RetryBackoff.Delay(RetryBaseDelay, RetryMaxDelay, attempts);
}
