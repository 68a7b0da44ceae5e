using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Protection;

namespace OnSeoulSafe.Web.Infrastructure;

public static class PortalDatabase
{
    public const string ConnectionStringName = "Portal";

    public static IServiceCollection AddPortalDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        // Resolved lazily so configuration added by hosts (tests, containers) is seen.
        services.Configure<PortalSecrets>(configuration.GetSection(PortalSecrets.Section));
        services.AddSingleton(sp => FieldCipher.FromSecrets(sp.GetRequiredService<IOptions<PortalSecrets>>().Value));
        services.AddSingleton(sp => Fingerprints.FromSecrets(sp.GetRequiredService<IOptions<PortalSecrets>>().Value));
        // Interceptors registered in DI (statistics, fault injection in tests) join every context. The options are
        // built once (singleton), not again for every request's context.
        services.AddDbContext<PortalDbContext>(
            (sp, options) => options
                .UsePortalDatabase(ConnectionString(sp.GetRequiredService<IConfiguration>()))
                .AddInterceptors(sp.GetServices<IInterceptor>()),
            contextLifetime: ServiceLifetime.Scoped,
            optionsLifetime: ServiceLifetime.Singleton);
        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
        return services;
    }

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName)
        ?? throw new InvalidOperationException(
            $"Connection string '{ConnectionStringName}' is not set: use ConnectionStrings__{ConnectionStringName} or ./build.sh run.");

    /// <summary>Applies the migrations at start-up; every instance may run it, PostgreSQL serialises them.</summary>
    public static async Task MigratePortalDatabaseAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue("Portal:MigrateOnStartup", true)) return;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
    }
}
