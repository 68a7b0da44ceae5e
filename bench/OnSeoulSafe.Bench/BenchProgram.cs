namespace OnSeoulSafe.Bench;

/// <summary>Started by <c>./build.sh bench</c> once PostgreSQL, the portal and the baselines are up.</summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        var file = ScenarioFile.Load(options.ScenarioFile);
        var started = DateTimeOffset.UtcNow;
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        if (options.DashboardCases is { } limit) Console.WriteLine($"==> BENCH_DASHBOARD_CASES={limit}: dashboard scenarios above {limit:N0} cases are skipped");
        if (options.Only is not null) Console.WriteLine($"==> BENCH_ONLY={string.Join(',', options.Only)}");

        Report.Memory? summary = null;
        BenchRun run;
        if (options.Soak)
        {
            await using var soakData = BenchData.Create();
            Console.WriteLine("==> Seeding demo staff accounts and platforms");
            await soakData.SeedDemoAsync(cancel.Token);
            var soaked = await new Soak(options, soakData).RunAsync(cancel.Token);
            Console.WriteLine();
            Console.WriteLine(Report.Table(soaked, null));
            var soakPath = await Report.WriteJsonAsync(options.ResultsDirectory, started, options, soaked, null);
            Console.WriteLine($"Results written to {Path.GetRelativePath(options.Root, soakPath)}");
            return soaked.All(o => o.Result == "PASS") ? 0 : 1;
        }
        if (options.HashingOnly)
        {
            // The perceptual hashing rows run in this process: no portal, no database.
            run = new BenchRun(options, file, data: null);
            await run.RunAsync(cancel.Token);
        }
        else
        {
            await using var data = BenchData.Create();
            Console.WriteLine("==> Seeding demo staff accounts and platforms");
            await data.SeedDemoAsync(cancel.Token);

            await using var memory = new MemorySampler(options.PortalPid);
            memory.Start();
            run = new BenchRun(options, file, data);
            await run.RunAsync(cancel.Token);

            var peak = memory.PeakKb();
            var withinLimit = peak is { } kb && kb / 1024.0 < file.MaxWorkingSetMb;
            summary = new Report.Memory(peak, memory.MaxSampledRssKb, file.MaxWorkingSetMb, withinLimit ? "PASS" : "FAIL");
        }
        Console.WriteLine();
        // A hashing-only run lists its own rows, not every portal row it did not start.
        var shown = options.HashingOnly ? run.Outcomes.Where(o => o.Reason != BenchRun.NotSelected).ToList() : run.Outcomes;
        Console.WriteLine(Report.Table(shown, summary));
        var path = await Report.WriteJsonAsync(options.ResultsDirectory, started, options, run.Outcomes, summary);
        Console.WriteLine($"Results written to {Path.GetRelativePath(options.Root, path)}");
        Console.WriteLine("Figures are from a shared, noisy machine: read the ratios to the baselines measured in the same run, not the absolute numbers.");
        return 0;
    }
}
