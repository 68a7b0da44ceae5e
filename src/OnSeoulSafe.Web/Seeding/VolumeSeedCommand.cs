using System.Globalization;

namespace OnSeoulSafe.Web.Seeding;

public static class VolumeSeedCommand
{
    /// <summary>
    /// <c>--seed-volume N [--append] [--seed S]</c>: fills the database and exits instead of serving. Returns false when not asked.
    /// </summary>
    public static async Task<bool> RunVolumeSeedIfAskedAsync(this WebApplication app, string[] args)
    {
        var at = Array.IndexOf(args, "--seed-volume");
        if (at < 0) return false;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var cases) || cases <= 0)
        {
            throw new ArgumentException("--seed-volume needs a positive number of cases.");
        }
        var seedAt = Array.IndexOf(args, "--seed");
        var seed = seedAt >= 0 && seedAt + 1 < args.Length ? int.Parse(args[seedAt + 1], CultureInfo.InvariantCulture) : 20_260_301;
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = ActivatorUtilities.CreateInstance<VolumeSeeder>(scope.ServiceProvider);
        var result = await seeder.SeedAsync(cases, args.Contains("--append"), seed, CancellationToken.None);
        Console.WriteLine(
            $"Seeded {result.Cases:N0} cases, {result.Tracks:N0} service tracks, {result.TimelineEvents:N0} timeline events, " +
            $"{result.ContentItems:N0} content items, {result.DeletionRequests:N0} deletion requests in {result.Elapsed.TotalSeconds:N0} s.");
        return true;
    }
}
