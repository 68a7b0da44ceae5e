namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>Real time plus an offset the test can move forward (e.g. to the next TOTP step, or past a session's lifetime).</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;
    private readonly Lock _gate = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return base.GetUtcNow() + _offset;
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _offset += by;
    }
}
