using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OnSeoulSafe.Bench;

/// <summary>The table on the console and the same figures as JSON under bench/results/.</summary>
public static class Report
{
    public sealed record Memory(long? PeakWorkingSetKb, long MaxSampledRssKb, double LimitMb, string Result);

    public static string Table(IReadOnlyCollection<Outcome> outcomes, Memory? memory)
    {
        var rows = new List<string[]> { new[] { "scenario", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "CPU ms/req", "JIT ms/req", "KB/req", "ratio", "result" } };
        foreach (var o in outcomes)
        {
            rows.Add(
            [
                o.Name,
                Format(o.RequestsPerSecond, "0.0"),
                Format(o.P50Ms, "0.00"),
                Format(o.P95Ms, "0.00"),
                Format(o.P99Ms, "0.00"),
                o.Errors?.ToString(CultureInfo.InvariantCulture) ?? "-",
                Format(o.CpuMsPerRequest, "0.000"),
                Format(o.JitMsPerRequest, "0.000"),
                Format(o.AllocatedKbPerRequest, "0.0"),
                o.Ratio is null ? "-" : o.Ratio.Value.ToString("0.00", CultureInfo.InvariantCulture) + (o.Compare == "p95" ? " (p95)" : ""),
                o.Result,
            ]);
        }
        var text = new StringBuilder(Markdown(rows, i => i is 0 or 10));
        text.AppendLine();
        text.Append(Shares(outcomes));
        if (memory is not null) text.AppendLine(CultureInfo.InvariantCulture, $"portal peak working set (VmHWM): {Megabytes(memory.PeakWorkingSetKb)} MB (highest sampled VmRSS {Megabytes(memory.MaxSampledRssKb)} MB), target < {memory.LimitMb} MB: {memory.Result}");
        foreach (var o in outcomes.Where(o => o.Reason is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{o.Name}: {o.Result} - {o.Reason}");
        }
        foreach (var o in outcomes.Where(o => o.Checks.Count > 0))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{o.Name} checks: {string.Join(", ", o.Checks.Select(c => $"{c.Key}={c.Value}"))}");
        }
        return text.ToString();
    }

    /// <summary>
    /// The machine's core time per successful request, for the rows that measured it: a ratio to a floor is read from
    /// which part costs more than the floor's. Every column together is the cores' whole time over the window.
    /// </summary>
    private static string Shares(IReadOnlyCollection<Outcome> outcomes)
    {
        var shown = outcomes.Where(o => o.Share is not null).ToList();
        if (shown.Count == 0) return "";
        var rows = new List<string[]> { new[] { "core ms per request", "server", "PostgreSQL", "load generator", "rest of machine", "idle", "stolen", "total" } };
        foreach (var o in shown)
        {
            var s = o.Share!;
            rows.Add([o.Name, .. new[] { s.Server, s.Database, s.Client, s.Rest, s.Idle, s.Steal, s.Server + s.Database + s.Client + s.Rest + s.Idle + s.Steal }
                .Select(v => v.ToString("0.000", CultureInfo.InvariantCulture))]);
        }
        return Markdown(rows, i => i == 0) + Environment.NewLine;
    }

    /// <summary>A Markdown table, its first row the header; the columns <paramref name="left"/> names are aligned left, the others right.</summary>
    private static string Markdown(List<string[]> rows, Func<int, bool> left)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            text.Append("| ").AppendJoin(" | ", row.Select((cell, i) => left(i) ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).AppendLine(" |");
            if (index == 0) text.Append("| ").AppendJoin(" | ", widths.Select((w, i) => left(i) ? new string('-', w) : new string('-', w - 1) + ":")).AppendLine(" |");
        }
        return text.ToString();
    }

    public static async Task<string> WriteJsonAsync(string directory, DateTimeOffset started, BenchOptions options, IReadOnlyCollection<Outcome> outcomes, Memory? memory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + ".json");
        var document = new
        {
            startedAt = started,
            machine = new { processors = Environment.ProcessorCount, os = Environment.OSVersion.VersionString, runtime = Environment.Version.ToString() },
            settings = new { options.DashboardCases, options.Seconds, options.WarmupSeconds, only = options.Only },
            scenarios = outcomes,
            memory,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, ScenarioFile.Json));
        return path;
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string Megabytes(long? kb) => kb is null ? "?" : (kb.Value / 1024.0).ToString("0", CultureInfo.InvariantCulture);
}
