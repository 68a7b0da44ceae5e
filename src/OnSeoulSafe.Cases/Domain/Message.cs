namespace OnSeoulSafe.Cases.Domain;

/// <summary>A message between victim and companion. It never leaves the portal. Encrypted at rest.</summary>
public sealed class Message
{
    private Message() { }

    internal Message(long caseId, MessageSender sender, Guid? staffId, string body, DateTimeOffset sentAt)
    {
        CaseId = caseId;
        Sender = sender;
        StaffId = staffId;
        Body = body;
        SentAt = sentAt;
    }

    public long Id { get; private set; }
    public long CaseId { get; private set; }
    public MessageSender Sender { get; private set; }
    public Guid? StaffId { get; private set; }
    public string Body { get; private set; } = "";
    public DateTimeOffset SentAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    public void MarkRead(DateTimeOffset at) => ReadAt ??= at;

    /// <summary>
    /// Words that may mean the victim is in crisis ("오늘 밤 너무 힘들어요"). A match never decides anything: it puts the
    /// message in front of the companion at once, with the crisis lines.
    /// </summary>
    public static readonly IReadOnlyList<string> CrisisWords =
    [
        "죽고 싶", "죽고싶", "자살", "자해", "사라지고 싶", "너무 힘들", "끝내고 싶", "살고 싶지",
        "suicide", "kill myself", "self-harm", "want to die", "end it all", "hurt myself",
    ];

    /// <summary>True when a message from the victim contains one of <see cref="CrisisWords"/>.</summary>
    public bool SoundsLikeCrisis => IsCrisis(Sender, Body);

    /// <summary>The rule of <see cref="SoundsLikeCrisis"/>, for a message read without its entity.</summary>
    public static bool IsCrisis(MessageSender sender, string body) =>
        sender == MessageSender.Victim && CrisisWords.Any(w => body.Contains(w, StringComparison.OrdinalIgnoreCase));

    public void Erase() => Body = "";
}
