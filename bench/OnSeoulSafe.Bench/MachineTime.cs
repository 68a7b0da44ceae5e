using System.Globalization;

namespace OnSeoulSafe.Bench;

/// <summary>
/// Where the machine's time went over a measured window, in seconds of all its cores together: busy, idle (waiting
/// for I/O included) and stolen by the hypervisor for other machines (from <c>/proc/stat</c>), and of the busy time
/// what PostgreSQL spent (the postmaster, its live backends, and those that ended: the postmaster's reaped children)
/// and what the load generator spent (this process and the <c>wrk</c> it waited for). With the serving process's own
/// CPU (<see cref="ProcessCost"/>) this accounts for every core-second of a scenario, so a ratio to a floor can be
/// read: which part of the machine a request costs more of than the floor's does.
/// </summary>
public sealed record MachineTime(double Busy, double Idle, double Steal, double Database, double Client)
{
    /// <summary>The counters now; <paramref name="databasePid"/> is the postmaster's (0: not measured).</summary>
    public static MachineTime Now(int databasePid)
    {
        var cpu = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        double At(int i) => i < cpu.Length ? cpu[i] / ProcessCost.TicksPerSecond : 0;
        return new MachineTime(
            Busy: At(0) + At(1) + At(2) + At(5) + At(6),
            Idle: At(3) + At(4),
            Steal: At(7),
            Database: databasePid > 0 ? TreeSeconds(databasePid) : 0,
            Client: ProcessCost.CpuSeconds(Environment.ProcessId, withEndedChildren: true));
    }

    public MachineTime Since(MachineTime start) =>
        new(Busy - start.Busy, Idle - start.Idle, Steal - start.Steal, Database - start.Database, Client - start.Client);

    /// <summary>A process with its ended children, and the processes still running whose parent it is.</summary>
    private static double TreeSeconds(int pid)
    {
        var total = ProcessCost.CpuSeconds(pid, withEndedChildren: true);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var child) || child == pid) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == pid.ToString(CultureInfo.InvariantCulture)) total += ProcessCost.CpuSeconds(child, withEndedChildren: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read: its time is now in its parent's ended children.
            }
        }
        return total;
    }
}

/// <summary>A scenario's share of the machine per successful request, in milliseconds of core time.</summary>
public sealed record MachineShare(double Server, double Database, double Client, double Rest, double Idle, double Steal)
{
    public static MachineShare? Of(LoadResult result)
    {
        if (result.Machine is not { } m || result.Successes == 0) return null;
        var perRequest = 1000.0 / result.Successes;
        var server = result.ServerCpuSeconds ?? 0;
        return new MachineShare(
            Server: Math.Round(server * perRequest, 3),
            Database: Math.Round(m.Database * perRequest, 3),
            Client: Math.Round(m.Client * perRequest, 3),
            Rest: Math.Round(Math.Max(0, m.Busy - server - m.Database - m.Client) * perRequest, 3),
            Idle: Math.Round(m.Idle * perRequest, 3),
            Steal: Math.Round(m.Steal * perRequest, 3));
    }
}
