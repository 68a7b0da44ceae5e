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

    public void Erase() => Body = "";
}
