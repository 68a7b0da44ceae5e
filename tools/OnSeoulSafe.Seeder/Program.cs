using System.Globalization;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Seeder;

/// <summary>
/// <c>./build.sh seed --cases N [--append] [--seed S]</c>: fills the portal's database with generated volume and exits.
/// A tool of its own, so the portal's process does not carry a bulk loader. (A named class rather than top-level
/// statements: the tests see this assembly's internals beside the portal's <c>Program</c>.)
/// </summary>
public static class SeederProgram
{
    public static async Task<int> Main(string[] args)
    {
        var at = Array.IndexOf(args, "--cases");
        if (at < 0 || at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var cases) || cases <= 0)
        {
            await Console.Error.WriteLineAsync("usage: OnSeoulSafe.Seeder --cases N [--append] [--seed S]");
            return 64;
        }
        var seedAt = Array.IndexOf(args, "--seed");
        var seed = seedAt >= 0 && seedAt + 1 < args.Length ? int.Parse(args[seedAt + 1], CultureInfo.InvariantCulture) : 20_260_301;

        // Same configuration as the portal (ConnectionStrings__Portal, ConnectionStrings__PortalOwner, Portal__Secrets__*).
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders().AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddPortalDatabase(builder.Configuration);
        builder.Services.AddPortalIdentity();
        await using var app = builder.Build();

        await app.MigratePortalDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = ActivatorUtilities.CreateInstance<VolumeSeeder>(scope.ServiceProvider);
        VolumeSeeder.Result result;
        try
        {
            result = await seeder.SeedAsync(cases, args.Contains("--append"), seed, CancellationToken.None);
        }
        catch (InvalidOperationException refused)
        {
            // A database that is not on this machine, or one that already holds cases without --append.
            await Console.Error.WriteLineAsync($"error: {refused.Message}");
            return 1;
        }
        Console.WriteLine(
            $"Seeded {result.Cases:N0} cases, {result.Tracks:N0} service tracks, {result.TimelineEvents:N0} timeline events, " +
            $"{result.ContentItems:N0} content items, {result.DeletionRequests:N0} deletion requests in {result.Elapsed.TotalSeconds:N0} s.");
        return 0;
    }
}
