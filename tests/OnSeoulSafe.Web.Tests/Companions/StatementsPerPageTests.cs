using System.Data.Common;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>
/// Every staff page, taken from the running app, issues as many database statements for a small caseload as for a
/// larger one: a page that queries once per row it shows (an N+1) fails here, before it meets a companion's forty
/// cases or a manager's thousands.
/// </summary>
public sealed class StatementsPerPageTests(StatementsPerPageTests.CountingPortal portal) : IClassFixture<StatementsPerPageTests.CountingPortal>, IAsyncLifetime
{
    private string _reference = "";
    private int _platformId;

    public async Task InitializeAsync()
    {
        await portal.SeedDemoAsync();
        _platformId = await portal.WithDbAsync(db => db.Platforms.Select(p => p.Id).FirstAsync());
        _reference = await OpenBusyCaseAsync(CompanionWorld.Companion, 1);
        await OpenBusyCaseAsync(CompanionWorld.Companion, 1);
        await portal.OpenCaseAsync("waiting in the intake queue");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task No_staff_page_issues_more_statements_as_its_rows_grow()
    {
        // Arrange: each folder's pages as the staff member who works there.
        var pages = PortalPages.Pages(portal)
            .Where(p => AccountFor(p) is not null && p.Path is not ("/Cases/BreakTheGlass" or "/Account/Logout"))
            .ToList();
        pages.Select(p => p.Path).ShouldContain("/Cases/File");
        pages.Select(p => p.Path).ShouldContain("/Cases/Index");
        pages.Select(p => p.Path).ShouldContain("/Dashboard/Index");
        var browsers = new Dictionary<string, PortalBrowser>();
        foreach (var account in pages.Select(AccountFor).Distinct())
        {
            browsers[account!.Email] = await portal.SignInAsync(account);
        }
        var small = await CountAsync(pages, browsers);

        // Act: ten times the cases, and the file itself five times longer.
        for (var i = 0; i < 10; i++)
        {
            await OpenBusyCaseAsync(CompanionWorld.Companion, 5);
            await portal.OpenCaseAsync("waiting in the intake queue");
        }
        await AddToFileAsync(_reference, 20);
        var large = await CountAsync(pages, browsers);

        // Assert
        var growing = pages.Where(p => large[p.Path] != small[p.Path])
            .Select(p => $"{p.Path}: {small[p.Path]} statements with a small caseload, {large[p.Path]} with a larger one")
            .ToList();
        growing.ShouldBeEmpty();
        small["/Cases/Index"].ShouldBeGreaterThan(0, "the counter sees the pages' statements");
        foreach (var browser in browsers.Values) browser.Dispose();
    }

    /// <summary>Each page twice: the first fills caches (platforms, texts), the second is counted.</summary>
    private async Task<Dictionary<string, int>> CountAsync(List<PortalPages.Page> pages, Dictionary<string, PortalBrowser> browsers)
    {
        var counts = new Dictionary<string, int>();
        foreach (var page in pages)
        {
            var browser = browsers[AccountFor(page)!.Email];
            var url = PortalPages.UrlFor(page, RouteValue);
            // The caseload handover is about one person: the companion whose caseload grows.
            if (page.Path == "/Intake/Caseload") url += $"?staff={await portal.StaffIdAsync(CompanionWorld.Companion)}";
            using (var warm = await browser.Client.GetAsync(url))
            {
                warm.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {url}");
            }
            var before = portal.Interceptor.Statements;
            using (var counted = await browser.Client.GetAsync(url))
            {
                counted.StatusCode.ShouldBe(HttpStatusCode.OK, $"GET {url}");
            }
            counts[page.Path] = portal.Interceptor.Statements - before;
        }
        return counts;
    }

    private string RouteValue(string name) => name switch
    {
        "reference" => _reference.ToLowerInvariant(),
        "track" => "legal",
        var other => throw new InvalidOperationException($"Route parameter '{other}' needs a sample value here so its page is counted."),
    };

    /// <summary>Who opens a folder's pages; null for pages that are not staff pages (public, victim, account).</summary>
    private static DemoData.DemoAccount? AccountFor(PortalPages.Page page) => page.Folder switch
    {
        "Cases" or "Staff" => CompanionWorld.Companion,
        "Intake" or "Dashboard" or "Admin" when !page.Template.Contains('{', StringComparison.Ordinal) => CompanionWorld.Manager,
        "Audit" => CompanionWorld.Auditor,
        "Monitor" => CompanionWorld.Monitor,
        _ => null,
    };

    /// <summary>A case for <paramref name="companion"/> with appointments, calls, messages and links on the deletion ledger.</summary>
    private async Task<string> OpenBusyCaseAsync(DemoData.DemoAccount companion, int rows)
    {
        var now = DateTimeOffset.UtcNow;
        return await portal.OpenCaseAsync("a case with some history", assignTo: companion, more: (c, staff) => AddRows(c, staff!.Id, rows, now));
    }

    private async Task AddToFileAsync(string reference, int rows)
    {
        var now = DateTimeOffset.UtcNow;
        var staff = await portal.StaffIdAsync(CompanionWorld.Companion);
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var file = await db.Cases.Include(c => c.Tracks).Include(c => c.ContentItems).SingleAsync(c => c.Reference == reference);
        AddRows(file, staff, rows, now);
        await db.SaveChangesAsync();
    }

    private void AddRows(Case file, Guid staff, int rows, DateTimeOffset now)
    {
        for (var i = 0; i < rows; i++)
        {
            file.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Appointment, staff, now.AddDays(1 + i), "court", 30, null, now);
            file.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Call, staff, now.AddHours(-1 - i), null, 5, "called", now);
            file.PostMessage(MessageSender.Victim, null, "a message", now);
            var link = $"https://video.example.com/watch/{Guid.NewGuid():N}";
            file.ContentItems.Add(new ContentItem(file.Id, link, RandomNumberGenerator.GetBytes(32), _platformId,
                ContentKind.Video, ContentFinder.Victim, false, now));
        }
    }

    /// <summary>Makes the request's HttpContext visible to the counter (it is not, unless an accessor is registered).</summary>
    public sealed class CountingPortal : InterceptedPortal<StatementCounter>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddHttpContextAccessor());
        }
    }

    /// <summary>Counts the commands (round trips) run on behalf of a request, not the background jobs'.</summary>
    public sealed class StatementCounter : DbCommandInterceptor
    {
        private readonly HttpContextAccessor _requests = new();

        private int _statements;

        public int Statements => Volatile.Read(ref _statements);

        private void Count()
        {
            if (_requests.HttpContext is not null) Interlocked.Increment(ref _statements);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count();
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Count();
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Count();
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Count();
            return base.ReaderExecuting(command, eventData, result);
        }
    }
}
