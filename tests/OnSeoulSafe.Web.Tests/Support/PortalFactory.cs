using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Web.Infrastructure;

namespace OnSeoulSafe.Web.Tests.Support;

/// <summary>The real portal on its own cloned PostgreSQL database. Use as an xunit class fixture.</summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    /// <summary>The portal's clock: real time that tests can move forward.</summary>
    public TestClock Clock { get; } = new();

    /// <summary>This portal's own checkpoint file of the access log's seal chain (removed with the fixture).</summary>
    public string CheckpointFile { get; } = Path.Combine(Path.GetTempPath(), $"oss-checkpoints-{Guid.NewGuid():N}");

    /// <summary>Extra configuration a test class needs (overrides the defaults).</summary>
    protected virtual IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>();

    /// <summary>Names the test database (with a random suffix), so a leftover one says whose it was.</summary>
    protected virtual string DatabasePurpose => GetType().Name;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await PortalDatabaseTemplate.CreateDatabaseAsync(DatabasePurpose);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) =>
        {
            var settings = TestSecrets.Configuration(ConnectionString);
            settings["Portal:Audit:CheckpointFile"] = CheckpointFile;
            foreach (var (key, value) in ExtraConfiguration) settings[key] = value;
            config.AddInMemoryCollection(settings);
        });
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A scope with the portal's own services (its DbContext, UserManager ...).</summary>
    public AsyncServiceScope Scope() => Services.CreateAsyncScope();

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        await using var scope = Scope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    public async Task SeedDemoAsync()
    {
        await using var scope = Scope();
        await DemoData.SeedAsync(scope.ServiceProvider, CancellationToken.None);
    }

    public PortalBrowser Browser(string? culture = null) => new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }), culture);

    /// <summary>False for a class that leaves its database other than migrated (its history or schema changed).</summary>
    protected virtual bool ReleasesDatabase => true;

    /// <summary>Stops the portal, then hands its database on to the next test class (<see cref="PortalDatabaseTemplate.Release"/>).</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ReleasesDatabase && ConnectionString.Length > 0)
        {
            PortalDatabaseTemplate.Release(ConnectionString);
            ConnectionString = "";
        }
        GC.SuppressFinalize(this);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        File.Delete(CheckpointFile);
    }
}
