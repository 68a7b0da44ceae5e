using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OnSeoulSafe.Cases.Access;
using OnSeoulSafe.Cases.Audit;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Audit;
using OnSeoulSafe.Web.Tests.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Resilience;

/// <summary>
/// A restore drill with the tool behind <c>./build.sh backup</c> and <c>./build.sh restore</c> (<c>tools/pitr.sh</c>),
/// on a cluster of its own that archives its write-ahead log: cases written and read, a base backup, more cases and
/// reads, a time noted, more still; restored to that time, the database holds exactly the cases and access-log
/// entries written before it, and the seal chain verifies against the heads published by then.
/// </summary>
public sealed class RestoreDrillTests
{
    [Fact]
    public async Task Restoring_to_a_time_between_writes_brings_back_exactly_the_cases_and_reads_of_that_time()
    {
        // Arrange: a cluster of its own, archiving into a folder of its own, as ./build.sh db sets up the local one.
        await using var server = await PostgresServer.StartDedicatedAsync();
        var backups = Path.Combine("/tmp", "oss-drill-backups-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var settings = await PitrAsync("archive-settings", "--backups", backups);
            await File.AppendAllTextAsync(
                Path.Combine(server.DataDirectory, "postgresql.conf"),
                // What the test cluster sets on its command line, here too: recovery refuses fewer connections than the
                // primary had, and the restored cluster starts from its configuration files alone.
                $"\n{settings}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 300\n");
            await server.StopImmediateAsync();
            await server.StartAsync();
            await server.CreateDatabaseAsync("oss_drill");
            var connectionString = server.ConnectionStringFor("oss_drill");
            await using (var db = PortalDatabaseTemplate.NewContext(connectionString, TestSecrets.Cipher))
            {
                await db.Database.MigrateAsync();
            }
            await using var portal = new FixedDatabasePortal(connectionString);
            var pitr = new[] { "--data", server.DataDirectory, "--backups", backups, "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--user", "postgres" };

            var before = await WriteCasesAndReadsAsync(portal, cases: 3);
            await PitrAsync(["backup", .. pitr]);
            var between = await WriteCasesAndReadsAsync(portal, cases: 2);
            var noted = DateTimeOffset.UtcNow;
            var publishedByThen = await File.ReadAllBytesAsync(portal.CheckpointFile);
            var after = await WriteCasesAndReadsAsync(portal, cases: 2);

            // Act
            var output = await PitrAsync(["restore", .. pitr, "--to", noted.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture)]);
            NpgsqlConnection.ClearAllPools();

            // Assert: the cases and entries of that time, no more and no fewer.
            output.ShouldContain("old data directory kept at");
            var cases = await portal.WithDbAsync(db => db.Cases.Select(c => c.Id).OrderBy(id => id).ToListAsync());
            cases.ShouldBe(before.Cases.Concat(between.Cases).Order().ToList());
            var entries = await portal.WithDbAsync(db => db.AccessLog.Select(e => e.Id).OrderBy(id => id).ToListAsync());
            entries.ShouldBe(before.Entries.Concat(between.Entries).Order().ToList());
            after.Cases.ShouldAllBe(id => !cases.Contains(id));

            // The heads published after the restore point are past the restored chain: the verifier says it was cut.
            (await portal.VerifyAsync()).Break!.Kind.ShouldBe(ChainBreakKind.CheckpointMismatch);
            // Against the heads published by the restore point, the restored chain is whole.
            await File.WriteAllBytesAsync(portal.CheckpointFile, publishedByThen);
            var report = await portal.VerifyAsync();
            report.Break.ShouldBeNull();
            report.UnsealedOlderEntries.ShouldBe(0);
            report.UnbrokenThrough.ShouldBe(entries.Count);
            File.Delete(portal.CheckpointFile);
        }
        finally
        {
            try
            {
                await server.DisposeAsync();
            }
            catch (InvalidOperationException) when (!File.Exists(Path.Combine(server.DataDirectory, "postmaster.pid")))
            {
                // A restore that failed puts the old data directory back without starting it: nothing left to stop.
            }
            foreach (var aside in Directory.GetDirectories(Path.GetDirectoryName(server.DataDirectory)!, Path.GetFileName(server.DataDirectory) + ".*"))
            {
                Directory.Delete(aside, recursive: true);
            }
            if (Directory.Exists(backups)) Directory.Delete(backups, recursive: true);
        }
    }

    private sealed record Written(List<long> Cases, List<long> Entries);

    /// <summary>Opens cases as intake does and reads each twice, one access-log row per read, then seals the log.</summary>
    private static async Task<Written> WriteCasesAndReadsAsync(PortalFactory portal, int cases)
    {
        var written = new Written([], []);
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var companion = Guid.NewGuid();
            for (var i = 0; i < cases; i++)
            {
                var opened = await TestCases.OpenAsync(db, portal.Clock.GetUtcNow());
                written.Cases.Add(opened.Id);
                var reads = new[]
                {
                    CaseAccessLog.Record(db, portal.Clock.GetUtcNow(), companion, StaffRoles.Companion, opened.Id, AccessAction.View, "/Cases/File"),
                    CaseAccessLog.Record(db, portal.Clock.GetUtcNow(), companion, StaffRoles.Companion, opened.Id, AccessAction.View, "/Cases/Timeline"),
                };
                await db.SaveChangesAsync();
                written.Entries.AddRange(reads.Select(r => r.Id));
            }
        }
        await portal.SealAsync();
        return written;
    }

    /// <summary>Runs tools/pitr.sh, the tool ./build.sh backup and restore run, and returns its output.</summary>
    private static async Task<string> PitrAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        startInfo.ArgumentList.Add(Path.Combine(RepositoryRoot(), "tools", "pitr.sh"));
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        process.ExitCode.ShouldBe(0, $"tools/pitr.sh {string.Join(' ', arguments)} failed:\n{output}");
        return await stdout;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OnSeoulSafe.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("OnSeoulSafe.sln not found above the test binaries");
    }

    private sealed class FixedDatabasePortal(string connectionString) : PortalFactory
    {
        public override Task InitializeAsync() => Task.CompletedTask;

        protected override IDictionary<string, string?> ExtraConfiguration =>
            new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = connectionString };
    }
}
