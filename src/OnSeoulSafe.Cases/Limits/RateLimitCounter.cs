namespace OnSeoulSafe.Cases.Limits;

/// <summary>
/// One counter of a shared rate limit: how many attempts a partition (a keyed hash of an address, an intake key, a
/// reference being guessed, or a whole-portal ceiling) made in the current fixed window. Every portal instance counts
/// in the same row, so N instances do not give N times the limit. Kept in an unlogged table: the counters are worth
/// nothing after a crash, and writing them to the write-ahead log would cost every limited request.
/// </summary>
public sealed class RateLimitCounter
{
    public required string Key { get; init; }

    public DateTimeOffset WindowStart { get; init; }

    public int Hits { get; init; }

    /// <summary>When the sweep may remove the row: the end of its window.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}
