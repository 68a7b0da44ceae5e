namespace OnSeoulSafe.Cases.Domain;

/// <summary>What a bank entry's 32 bytes are.</summary>
public enum HashKind
{
    /// <summary>Meta's PDQ of a picture (256 bits) with its quality.</summary>
    PdqImage,

    /// <summary>The PDQ of one frame of a video, one per second (vPDQ-style), with its quality, video and second.</summary>
    PdqVideoFrame,

    /// <summary>The SHA-256 of a file: recognises only the unchanged file.</summary>
    Sha256,
}

/// <summary>Who gave the portal a hash.</summary>
public enum HashSupplier { Victim, Companion, Monitor, Recheck }

/// <summary>
/// One hash in the hash bank: the fingerprints a matching index recognises a victim's picture or video by. It holds the
/// hash and nothing else about the picture (no file, no name, no size); it belongs to a case, or to a citizen monitor's
/// report until that report is linked to a case, and goes with the case when the case is erased.
/// </summary>
public sealed class HashBankEntry
{
    public const int HashBytes = 32;
    public const int MaxQuality = 100;

    private HashBankEntry() { }

    private HashBankEntry(HashKind kind, byte[] hash, int? quality, Guid? videoGroup, int? frameSecond, HashSupplier suppliedBy, DateTimeOffset now)
    {
        if (hash is not { Length: HashBytes })
        {
            throw new DomainRuleException("hash-bank.hash", "A hash in the bank is 32 bytes (256 bits).");
        }
        if (!Enum.IsDefined(kind) || !Enum.IsDefined(suppliedBy))
        {
            throw new DomainRuleException("hash-bank.kind", "Unknown kind of hash or supplier.");
        }
        if (kind == HashKind.Sha256 ? quality is not null : quality is not (>= 0 and <= MaxQuality))
        {
            throw new DomainRuleException("hash-bank.quality", "A perceptual hash has a quality from 0 to 100; a SHA-256 has none.");
        }
        if (kind == HashKind.PdqVideoFrame ? videoGroup is null || frameSecond is not >= 0 : videoGroup is not null || frameSecond is not null)
        {
            throw new DomainRuleException("hash-bank.frame", "A video frame's hash names its video and its second; no other hash does.");
        }
        Kind = kind;
        Hash = hash.ToArray();
        Quality = (short?)quality;
        VideoGroup = videoGroup;
        FrameSecond = frameSecond;
        SuppliedBy = suppliedBy;
        AddedAt = now;
    }

    /// <summary>A hash of a case's picture or video.</summary>
    public HashBankEntry(long caseId, HashKind kind, byte[] hash, int? quality, Guid? videoGroup, int? frameSecond, HashSupplier suppliedBy, DateTimeOffset now)
        : this(kind, hash, quality, videoGroup, frameSecond, suppliedBy, now) => CaseId = caseId;

    /// <summary>A hash of a copy a citizen monitor kept, saved together with the report (the report may be new).</summary>
    public HashBankEntry(MonitorReport report, HashKind kind, byte[] hash, int? quality, Guid? videoGroup, int? frameSecond, DateTimeOffset now)
        : this(kind, hash, quality, videoGroup, frameSecond, HashSupplier.Monitor, now)
    {
        MonitorReport = report;
        if (report.Id != 0) MonitorReportId = report.Id;
        CaseId = report.CaseId;
    }

    /// <summary>Increases monotonically: an index loader tails the bank by id.</summary>
    public long Id { get; private set; }

    /// <summary>The case the hash belongs to; null only for a monitor's report not yet linked to a case.</summary>
    public long? CaseId { get; private set; }

    public long? MonitorReportId { get; private set; }
    public MonitorReport? MonitorReport { get; private set; }
    public HashKind Kind { get; private set; }

    /// <summary>The 256 bits, most significant first (the PDQ's 64 hex digits as bytes, or the SHA-256 digest).</summary>
    public byte[] Hash { get; private set; } = [];

    /// <summary>PDQ quality 0-100 (hashes under 50 never act alone); null for a SHA-256.</summary>
    public short? Quality { get; private set; }

    /// <summary>Groups the frames of one video; null for pictures and SHA-256.</summary>
    public Guid? VideoGroup { get; private set; }

    /// <summary>The second of the video the frame was taken at.</summary>
    public int? FrameSecond { get; private set; }

    public HashSupplier SuppliedBy { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }

    /// <summary>A monitor's report linked to a case brings its hashes to that case.</summary>
    public void AssignToCase(long caseId)
    {
        if (CaseId is { } current && current != caseId)
        {
            throw new DomainRuleException("hash-bank.case", "This hash already belongs to another case.");
        }
        CaseId = caseId;
    }
}
