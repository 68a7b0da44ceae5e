namespace OnSeoulSafe.Cases.Domain;

/// <summary>Suspected content a citizen monitor found. Lands in the managers' triage queue; the monitor never sees a case.</summary>
public sealed class MonitorReport
{
    private MonitorReport() { }

    public MonitorReport(Guid monitorId, string url, byte[] urlFingerprint, int? platformId, ContentKind kind, string? note, DateTimeOffset now, string? sha256 = null)
    {
        if (sha256 is not null && !EvidenceHash.IsSha256(sha256))
        {
            throw new DomainRuleException("evidence.sha256", "A SHA-256 hash is 64 hexadecimal characters.");
        }
        Sha256 = sha256?.ToLowerInvariant();
        MonitorId = monitorId;
        Url = url;
        UrlFingerprint = urlFingerprint;
        PlatformId = platformId;
        Kind = kind;
        Note = note;
        ReportedAt = now;
        Status = MonitorReportStatus.New;
    }

    public long Id { get; private set; }
    public Guid MonitorId { get; private set; }
    public string Url { get; private set; } = "";
    public byte[] UrlFingerprint { get; private set; } = [];
    public int? PlatformId { get; private set; }
    public ContentKind Kind { get; private set; }
    public string? Note { get; private set; }

    /// <summary>SHA-256 of a copy the monitor kept, hashed in their browser; the file itself is never sent.</summary>
    public string? Sha256 { get; private set; }
    public DateTimeOffset ReportedAt { get; private set; }
    public MonitorReportStatus Status { get; private set; }
    public DateTimeOffset? TriagedAt { get; private set; }
    public Guid? TriagedById { get; private set; }
    public string? DismissReason { get; private set; }
    public long? CaseId { get; private set; }
    public long? ContentItemId { get; private set; }

    /// <summary>The ledger item the report became; set through the item so a new item and the report save together.</summary>
    public ContentItem? ContentItem { get; private set; }

    public void LinkToCase(long caseId, ContentItem item, Guid managerId, DateTimeOffset now)
    {
        EnsureNew();
        if (item.CaseId != caseId)
        {
            throw new DomainRuleException("monitor-report.item", "The link must be on the case the report is linked to.");
        }
        Status = MonitorReportStatus.LinkedToCase;
        CaseId = caseId;
        SetItem(item);
        Triaged(managerId, now);
    }

    public void OpenCaselessDeletion(ContentItem item, Guid managerId, DateTimeOffset now)
    {
        EnsureNew();
        if (item.CaseId is not null)
        {
            throw new DomainRuleException("monitor-report.item", "A case-less deletion request needs a case-less link.");
        }
        Status = MonitorReportStatus.DeletionOpened;
        SetItem(item);
        Triaged(managerId, now);
    }

    public void Dismiss(string reason, Guid managerId, DateTimeOffset now)
    {
        EnsureNew();
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Status = MonitorReportStatus.Dismissed;
        DismissReason = reason.Trim();
        Triaged(managerId, now);
    }

    /// <summary>Erasure of the case the report was linked to removes the link and the monitor's note.</summary>
    public void Erase()
    {
        Url = "";
        Note = null;
        // A keyed hash of the link could still confirm a guessed address: replace it with noise (stays unique).
        UrlFingerprint = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        Sha256 = null;
    }

    private void SetItem(ContentItem item)
    {
        ContentItem = item;
        if (item.Id != 0) ContentItemId = item.Id;
    }

    private void Triaged(Guid managerId, DateTimeOffset now)
    {
        TriagedById = managerId;
        TriagedAt = now;
    }

    private void EnsureNew()
    {
        if (Status != MonitorReportStatus.New)
        {
            throw new DomainRuleException("monitor-report.triaged", "This report has already been triaged.");
        }
    }
}
