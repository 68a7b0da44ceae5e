namespace OnSeoulSafe.Cases.Retention;

/// <summary>Settings of the retention job (<c>Portal:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string Section = "Portal:Retention";

    public bool Enabled { get; set; } = true;

    /// <summary>Closed and withdrawn cases are erased this many days after they were closed (five years by default).</summary>
    public int ClosedCaseDays { get; set; } = 1825;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Cases erased per pass (each in its own transaction).</summary>
    public int BatchSize { get; set; } = 200;
}
