namespace OnSeoulSafe.Cases.Audit;

/// <summary>Settings of the access log's seal chain and unusual-access alert (<c>Portal:Audit</c>).</summary>
public sealed class AuditOptions
{
    public const string Section = "Portal:Audit";

    /// <summary>How often the background job seals new entries; zero turns the job off (the verify page still seals on demand).</summary>
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Entries younger than this are left for the next pass, so a transaction that drew a lower id but commits a
    /// moment later is usually sealed in id order (if not, it simply gets a later seal number).
    /// </summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back a regular pass looks for unsealed entries (the first pass of a process and the verify page look at everything).</summary>
    public TimeSpan SealLookback { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An entry older than this and still outside the chain is reported by the verify page.</summary>
    public TimeSpan UnsealedGrace { get; set; } = TimeSpan.FromMinutes(2);

    public int SealBatchSize { get; set; } = 5000;

    /// <summary>
    /// The append-only file each sealing pass adds the signed head of the chain to (empty: none). Put it where the
    /// database's owner cannot write, and ship it on to write-once storage; every instance may append to it.
    /// </summary>
    public string? CheckpointFile { get; set; }

    /// <summary>The alert fires when one account opens more than this many different cases ...</summary>
    public int UnusualAccessCases { get; set; } = 30;

    /// <summary>... within this window.</summary>
    public TimeSpan UnusualAccessWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back the auditor's page looks for unusual access.</summary>
    public TimeSpan UnusualAccessLookback { get; set; } = TimeSpan.FromHours(24);
}
