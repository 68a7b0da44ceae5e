using OnSeoulSafe.Cases.Limits;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>Moves portal clocks to the start of a fresh one-minute window, so a test's attempts all fall in one.</summary>
public static class LimitWindow
{
    public static void Start(params TestClock[] clocks)
    {
        var now = clocks[0].GetUtcNow();
        var next = RateLimitCounters.WindowStart(now, TimeSpan.FromMinutes(1)).AddMinutes(1).AddMilliseconds(10);
        foreach (var clock in clocks) clock.Advance(next - now);
    }
}
