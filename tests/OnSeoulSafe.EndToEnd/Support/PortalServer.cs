using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// The real portal served by Kestrel on a loopback port (a browser cannot reach the in-memory test server), on its
/// own database cloned from the migrated template, with demo staff; and one headless Chromium for every test.
/// </summary>
public sealed class PortalServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Where the quick exit goes. The browser never reaches it: every page fulfils it locally.</summary>
    public const string NeutralSite = "https://neutral.example/weather";

    public const string NeutralTitle = "Seoul weather";

    private string _connectionString = "";
    private IPlaywright? _playwright;

    public TestClock Clock { get; } = new();

    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public IBrowser Browser { get; private set; } = null!;

    public MissingTranslations MissingTranslations => Services.GetRequiredService<MissingTranslations>();

    public async Task InitializeAsync()
    {
        // Fail before any database work when the browser is missing.
        Chromium.ExecutablePath();
        _connectionString = await PortalDatabaseTemplate.CreateDatabaseAsync("endtoend");
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Address = new Uri(addresses.Single());
        await using (var scope = Services.CreateAsyncScope())
        {
            await DemoData.SeedAsync(scope.ServiceProvider, CancellationToken.None);
        }
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) =>
        {
            var settings = TestSecrets.Configuration(_connectionString);
            settings["Portal:QuickExitUrl"] = NeutralSite;
            settings[MissingTranslations.ConfigurationKey] = "true";
            config.AddInMemoryCollection(settings);
        });
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>A fresh browser profile (no cookies) in the given language and size, that can reach only the portal.</summary>
    public async Task<IPage> NewPageAsync(string culture = "ko-KR", int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = culture,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = Address.ToString(),
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Accept-Language"] = culture },
        });
        // Generous: the first pages of a run start the JIT while the other test projects run beside them on two cores
        // (one first sign-in took over 15 s that way). A page that never arrives still fails.
        context.SetDefaultTimeout(30_000);
        await context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Scheme is "http" && url.Host == Address.Host && url.Port == Address.Port)
            {
                await route.ContinueAsync();
            }
            else if (route.Request.Url == NeutralSite)
            {
                await route.FulfillAsync(new RouteFulfillOptions
                {
                    ContentType = "text/html; charset=utf-8",
                    Body = $"<!doctype html><html lang=en><title>{NeutralTitle}</title><h1>{NeutralTitle}</h1><p>Clear, 21°C</p></html>",
                });
            }
            else
            {
                // Nothing leaves this machine.
                await route.AbortAsync("blockedbyclient");
            }
        });
        return await context.NewPageAsync();
    }

    /// <summary>Signs a demo staff member in through the real forms: password, then a fresh code from their authenticator.</summary>
    public async Task SignInAsync(IPage page, string role, int index = 0)
    {
        var account = DemoData.Accounts.Where(a => a.Role == role).ElementAt(index);
        await EnterPasswordAsync(page, account);
        await page.WaitForURLAsync("**/account/two-factor**");
        await page.Locator("#Code").FillAsync(await NextCodeAsync(account.Email));
        await page.Locator("main form button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
    }

    /// <summary>The first step of signing in: e-mail and password on the sign-in page.</summary>
    public static async Task EnterPasswordAsync(IPage page, DemoData.DemoAccount account)
    {
        await page.GotoAsync("/account/login");
        await page.Locator("#Input_Email").FillAsync(account.Email);
        await page.Locator("#Input_Password").FillAsync(account.Password);
        await page.Locator("main form button[type=submit]").ClickAsync();
    }

    /// <summary>A staff account that has not enrolled its authenticator app yet (created once per e-mail).</summary>
    public async Task<DemoData.DemoAccount> CreateStaffAsync(string email, string password, string role)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        if (await users.FindByEmailAsync(email) is null)
        {
            var member = new StaffMember { UserName = email, Email = email, EmailConfirmed = true, FirstName = "Tour", FullName = "Tour Newcomer", Languages = ["ko"], CreatedAt = Clock.GetUtcNow() };
            var created = await users.CreateAsync(member, password);
            created.Succeeded.ShouldBeTrue(string.Join(" ", created.Errors.Select(e => e.Description)));
            (await users.AddToRoleAsync(member, role)).Succeeded.ShouldBeTrue();
        }
        return new DemoData.DemoAccount(email, password, role, "Tour", "Tour Newcomer", ["ko"]);
    }

    public async Task<Guid> StaffIdAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        return (await users.FindByEmailAsync(email))!.Id;
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>A code for a time step no earlier sign-in used: each code is accepted only once.</summary>
    private async Task<string> NextCodeAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffMember>>();
        var key = await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!);
        Clock.Advance(TimeSpan.FromSeconds(30));
        return SingleUseTotp.Code(Base32.Decode(key!), SingleUseTotp.CurrentStep(Clock.GetUtcNow()));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        await DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "Portal in a browser";
}
