using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace OnSeoulSafe.Bench;

/// <summary>
/// What a server process spent of its own over a measured window: its CPU time (utime + stime from
/// <c>/proc/&lt;pid&gt;/stat</c>) and the bytes its runtime allocated (the <c>alloc-rate</c> counter of
/// <c>System.Runtime</c>, read over an EventPipe session that lasts the window), and the time its JIT spent compiling
/// in that window (<c>time-in-jit</c>): code still being compiled under load is CPU the requests pay for.
/// </summary>
public sealed class ProcessCost : IAsyncDisposable
{
    internal static readonly double TicksPerSecond = ClockTicksPerSecond();

    private readonly int _pid;
    private readonly double _cpuAtStart;
    private readonly EventPipeSession? _session;
    private readonly Task _reading = Task.CompletedTask;
    private bool _stopped;
    private double _allocated;
    private double _intervalSeconds;
    private double _jitMs;

    private ProcessCost(int pid)
    {
        _pid = pid;
        _cpuAtStart = CpuSeconds(pid);
        try
        {
            var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, (long)EventKeywords.None,
                new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
            _session = new DiagnosticsClient(pid).StartEventPipeSession(provider, requestRundown: false);
            _reading = Task.Run(() => Read(_session));
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or TimeoutException or IOException)
        {
            Console.WriteLine($"    allocations not measured: {ex.Message}");
        }
    }

    /// <summary>
    /// Runs <paramref name="measure"/> and adds the process's CPU and allocations over it to its result, and where the
    /// machine's time went (<see cref="MachineTime"/>; <paramref name="databasePid"/> is the postmaster's).
    /// </summary>
    public static async Task<LoadResult> MeasureAsync(int? pid, int databasePid, Func<Task<LoadResult>> measure)
    {
        if (pid is not > 0)
        {
            var before = MachineTime.Now(databasePid);
            var alone = await measure();
            return alone with { Machine = MachineTime.Now(databasePid).Since(before) };
        }
        await using var cost = new ProcessCost(pid.Value);
        var start = MachineTime.Now(databasePid);
        var result = await measure();
        var machine = MachineTime.Now(databasePid).Since(start);
        var (cpu, allocated, jitMs) = await cost.StopAsync(result.Seconds);
        return result with { ServerCpuSeconds = cpu, ServerAllocatedBytes = allocated, ServerJitMs = jitMs, Machine = machine };
    }

    private async Task<(double Cpu, double? Allocated, double? JitMs)> StopAsync(double seconds)
    {
        var cpu = CpuSeconds(_pid) - _cpuAtStart;
        if (_session is null) return (cpu, null, null);
        await StopSessionAsync(_session);
        await _reading;
        // The counters report once a second; the window's share is their rate over the intervals they reported.
        return _intervalSeconds > 0 ? (cpu, _allocated / _intervalSeconds * seconds, _jitMs / _intervalSeconds * seconds) : (cpu, null, null);
    }

    private void Read(EventPipeSession session)
    {
        using var source = new EventPipeEventSource(session.EventStream);
        source.Dynamic.All += data =>
        {
            // The event's one field is a structure whose "Payload" holds the counter's fields.
            if (data.EventName != "EventCounters" || data.PayloadValue(0) is not IDictionary<string, object> outer
                || !outer.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload) return;
            if (!payload.TryGetValue("Name", out var name) || !payload.TryGetValue("Increment", out var increment)) return;
            switch ((string)name)
            {
                case "alloc-rate" when payload.TryGetValue("IntervalSec", out var interval):
                    _allocated += Convert.ToDouble(increment, CultureInfo.InvariantCulture);
                    _intervalSeconds += Convert.ToDouble(interval, CultureInfo.InvariantCulture);
                    break;
                case "time-in-jit":
                    _jitMs += Convert.ToDouble(increment, CultureInfo.InvariantCulture);
                    break;
            }
        };
        source.Process();
    }

    /// <summary>
    /// utime + stime (fields 14 and 15 of /proc/&lt;pid&gt;/stat, after the command name in parentheses), and with
    /// <paramref name="withEndedChildren"/> cutime + cstime (16 and 17): the children it has waited for.
    /// </summary>
    internal static double CpuSeconds(int pid, bool withEndedChildren = false)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14.
        var last = withEndedChildren ? 14 : 12;
        long ticks = 0;
        for (var i = 11; i <= last; i++) ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        return ticks / TicksPerSecond;
    }

    /// <summary>USER_HZ, the unit of /proc's CPU times (100 on Linux unless getconf says otherwise).</summary>
    private static double ClockTicksPerSecond()
    {
        try
        {
            using var getconf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            var text = getconf?.StandardOutput.ReadToEnd().Trim();
            getconf?.WaitForExit();
            return double.TryParse(text, CultureInfo.InvariantCulture, out var hz) && hz > 0 ? hz : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is null) return;
        await StopSessionAsync(_session);
        _session.Dispose();
    }

    private async Task StopSessionAsync(EventPipeSession session)
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            await session.StopAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or IOException or EndOfStreamException or TimeoutException)
        {
            // The process ended or closed the session first: what was read so far is kept.
        }
    }
}
