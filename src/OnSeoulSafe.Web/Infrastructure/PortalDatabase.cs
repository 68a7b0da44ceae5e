using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Infrastructure;

public static class PortalDatabase
{
    public const string ConnectionStringName = "Portal";

    /// <summary>
    /// The owner of the tables, used only to migrate. The portal itself connects (<see cref="ConnectionStringName"/>)
    /// as a login role in <c>portal_app</c>, which cannot rewrite the access log. Falls back to the portal's string.
    /// </summary>
    public const string OwnerConnectionStringName = "PortalOwner";

    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        // Resolved lazily so configuration added by hosts (tests, containers) is seen.
        services.Configure<PortalSecrets>(configuration.GetSection(PortalSecrets.Section));
        services.AddSingleton(sp => FieldCipher.FromSecrets(sp.GetRequiredService<IOptions<PortalSecrets>>().Value));
        services.AddSingleton(sp => Fingerprints.FromSecrets(sp.GetRequiredService<IOptions<PortalSecrets>>().Value));
        // Interceptors registered in DI (statistics, fault injection in tests) join every context. Contexts come from
        // a pool: a request's context is one reset after an earlier request, not built and initialised anew.
        services.AddDbContextPool<PortalDbContext>(
            (sp, options) => options
                .UsePortalDatabase(ConnectionString(sp.GetRequiredService<IConfiguration>()))
                .UseFieldCipher(sp.GetRequiredService<FieldCipher>())
                .UseContactLookups(sp.GetRequiredService<Fingerprints>())
                .AddInterceptors(sp.GetServices<IInterceptor>()));
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database", tags: ["ready"]);
        return services;
    }

    public static string ConnectionString(IConfiguration configuration) =>
        WithPortalDefaults(configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException(
            $"Connection string '{ConnectionStringName}' is not set: use ConnectionStrings__{ConnectionStringName} or ./build.sh run."));

    /// <summary>
    /// Statements the portal runs again and again (session checks, case reads, dashboard sums) are prepared on
    /// each pooled connection after a few uses, so PostgreSQL stops parsing and planning them on every request.
    /// A pooled connection is handed back without the seven reset statements Npgsql would otherwise send with its
    /// next use: the portal keeps no session state on a connection (its locks and settings are transaction-scoped:
    /// <c>pg_advisory_xact_lock</c>, <c>SET LOCAL</c>). A connection string that sets either option keeps its own.
    /// </summary>
    public static string WithPortalDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    public static string OwnerConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(OwnerConnectionStringName) is { Length: > 0 } owner ? owner : ConnectionString(configuration);

    /// <summary>The argument of the separate migration step: <c>dotnet OnSeoulSafe.Web.dll migrate</c>.</summary>
    public const string MigrateArgument = "migrate";

    /// <summary>
    /// The migration step, a process of its own: the only one given the owner's credentials
    /// (<see cref="OwnerConnectionStringName"/>). It applies the migrations and exits; the serving process then starts
    /// with the portal's own login only, so the owner's password is never in its memory or environment.
    /// </summary>
    public static async Task<bool> MigrateOnlyIfAskedAsync(string[] args)
    {
        if (!args.Contains(MigrateArgument)) return false;
        var builder = Host.CreateApplicationBuilder(args.Where(a => a != MigrateArgument).ToArray());
        builder.Services.Configure<PortalSecrets>(builder.Configuration.GetSection(PortalSecrets.Section));
        using var host = builder.Build();
        var secrets = host.Services.GetRequiredService<IOptions<PortalSecrets>>().Value;
        await MigrateAsync(OwnerConnectionString(builder.Configuration), FieldCipher.FromSecrets(secrets), Fingerprints.FromSecrets(secrets));
        return true;
    }

    /// <summary>The argument of the re-encryption step: <c>dotnet OnSeoulSafe.Web.dll reencrypt</c>.</summary>
    public const string ReencryptArgument = "reencrypt";

    /// <summary>
    /// The re-encryption step, a process of its own run with the owner's credentials like the migration step (it
    /// rewrites rows the portal's login may not update, such as narratives): every encrypted value moved to the active
    /// key and the newest format, in batches (<c>Portal:Reencrypt:BatchSize</c>, 500), one progress line per batch.
    /// Stopped at any point, it resumes where it left off when run again.
    /// </summary>
    public static async Task<bool> ReencryptOnlyIfAskedAsync(string[] args)
    {
        if (!args.Contains(ReencryptArgument)) return false;
        var builder = Host.CreateApplicationBuilder(args.Where(a => a != ReencryptArgument).ToArray());
        builder.Services.Configure<PortalSecrets>(builder.Configuration.GetSection(PortalSecrets.Section));
        using var host = builder.Build();
        var cipher = FieldCipher.FromSecrets(host.Services.GetRequiredService<IOptions<PortalSecrets>>().Value);
        var options = (DbContextOptions<PortalDbContext>)new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalDatabase(OwnerConnectionString(builder.Configuration)).UseFieldCipher(cipher).Options;
        await using var db = new PortalDbContext(options);
        var (moved, refused) = await FieldReencryption.RunAsync(db, builder.Configuration.GetValue("Portal:Reencrypt:BatchSize", 500),
            p => Console.WriteLine($"{p.Table}.{p.Column}: {p.Read} read, {p.Moved} moved"), CancellationToken.None);
        Console.WriteLine($"Re-encryption done: {moved} values moved to key {cipher.ActiveKeyId}, {refused} refused (not written for their place).");
        return true;
    }

    /// <summary>
    /// Migrating at start-up (<c>Portal:MigrateOnStartup</c>, off by default) uses the serving process's own login:
    /// only for a single-login development database. Everywhere else run the migration step first.
    /// </summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Portal:MigrateOnStartup", false)) return;
        await MigrateAsync(ConnectionString(app.Configuration), app.Services.GetRequiredService<FieldCipher>(), app.Services.GetRequiredService<Fingerprints>());
    }

    /// <summary>Applies the migrations; several processes may run it at once, PostgreSQL serialises them.</summary>
    private static async Task MigrateAsync(string connectionString, FieldCipher cipher, Fingerprints fingerprints)
    {
        var options = (DbContextOptions<PortalDbContext>)new DbContextOptionsBuilder<PortalDbContext>().UsePortalDatabase(connectionString)
            .UseFieldCipher(cipher).UseContactLookups(fingerprints).Options;
        await using var db = new PortalDbContext(options);
        // A migration that recounts the dashboard reads every case: about a minute at a million cases.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await HandWrittenHistory.AdoptAsync(db, CancellationToken.None);
        await db.Database.MigrateAsync();
        await db.EncryptPlainClosingNotesAsync(CancellationToken.None);
        // The serving portal refuses values in the old format (bound to no place): they are moved to the bound format
        // here, before it serves. Only old-format values are read, so a database without any costs one pass of scans.
        var (upgraded, refused) = await FieldReencryption.RunAsync(db, 500, unplacedOnly: true, _ => { }, CancellationToken.None);
        if (upgraded + refused > 0)
        {
            Console.WriteLine($"Encrypted values in the old format: {upgraded} bound to their place, {refused} refused (not written for their place).");
        }
        // Cases saved before contact search existed get their lookups (keyed hashes; the key is never in the database).
        await ContactLookups.FillMissingAsync(db, CancellationToken.None);
    }
}
