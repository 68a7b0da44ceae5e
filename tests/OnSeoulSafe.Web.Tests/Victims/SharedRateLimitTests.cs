using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Limits;
using OnSeoulSafe.Web.Tests.Security;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>Two portal instances on one database count against the same limits.</summary>
public sealed class SharedLimitAcrossInstancesTests(SharedLimitAcrossInstancesTests.TwoPortals portals) : IClassFixture<SharedLimitAcrossInstancesTests.TwoPortals>
{
    [Fact]
    public async Task Sign_in_attempts_alternating_between_two_instances_meet_one_limit()
    {
        // Arrange: a limit of three a minute on each instance; one client, its posts sent to both in turn.
        var jar = new CookieContainer();
        using var first = new PortalBrowser(portals.First.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar)), "en");
        using var second = new PortalBrowser(portals.Second.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar)), "en");
        var page = await first.GetAsync("/account/login");
        LimitWindow.Start(portals.First.Clock, portals.Second.Clock);
        var answers = new List<HttpStatusCode>();

        // Act
        for (var i = 0; i < 4; i++)
        {
            var browser = i % 2 == 0 ? first : second;
            await browser.SubmitAsync(page, [new("Input.Email", "nobody@onseoulsafe.example"), new("Input.Password", "not the password " + i)]);
            answers.Add(browser.LastStatus);
        }

        // Assert: in memory each instance would have allowed two more; shared, the fourth attempt is refused.
        answers[..3].ShouldAllBe(s => s == HttpStatusCode.OK);
        answers[3].ShouldBe(HttpStatusCode.TooManyRequests);
        second.LastResponse!.Headers.RetryAfter.ShouldNotBeNull();
        (await portals.First.WithDbAsync(db => db.RateLimitCounters.AsNoTracking().ToListAsync()))
            .ShouldContain(c => c.Key.StartsWith("sign-in:", StringComparison.Ordinal) && c.Hits == 4);
    }

    [Fact]
    public async Task Counters_hold_no_address_and_the_sweep_removes_ended_windows()
    {
        // Arrange
        using var browser = portals.First.Browser("en");
        var page = await browser.GetAsync("/account/login");
        await browser.SubmitAsync(page, [new("Input.Email", "nobody@onseoulsafe.example"), new("Input.Password", "wrong")]);
        var counters = await portals.First.WithDbAsync(db => db.RateLimitCounters.AsNoTracking().ToListAsync());

        // Act
        var swept = await portals.First.WithDbAsync(db => RateLimitCounters.SweepAsync(db, portals.First.Clock.GetUtcNow().AddMinutes(2), CancellationToken.None));

        // Assert
        counters.ShouldNotBeEmpty();
        counters.ShouldAllBe(c => !c.Key.Contains("127.0.0.1") && !c.Key.Contains("unknown"));
        swept.ShouldBe(counters.Count);
        (await portals.First.WithDbAsync(db => db.RateLimitCounters.CountAsync())).ShouldBe(0);
    }

    public sealed class TwoPortals : IAsyncLifetime
    {
        public StrictPortal First { get; } = new(null);

        public StrictPortal Second { get; private set; } = null!;

        public Task InitializeAsync()
        {
            Second = new StrictPortal(() => First.ConnectionString);
            return First.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await Second.DisposeAsync();
            await First.DisposeAsync();
        }
    }

    /// <summary>With a connection string given, an instance on another's database (it makes none of its own).</summary>
    public sealed class StrictPortal(Func<string>? sameDatabaseAs) : PortalFactory
    {
        public override Task InitializeAsync() => sameDatabaseAs is null ? base.InitializeAsync() : Task.CompletedTask;

        protected override IDictionary<string, string?> ExtraConfiguration
        {
            get
            {
                var settings = new Dictionary<string, string?> { ["Portal:RateLimits:SignInPerMinute"] = "3" };
                if (sameDatabaseAs is not null) settings["ConnectionStrings:Portal"] = sameDatabaseAs();
                return settings;
            }
        }
    }
}

/// <summary>
/// The report is limited per form (its intake key) far more tightly than per address: many people behind one carrier
/// address file their reports; one form posted over and over is slowed down, and keeps everything typed.
/// </summary>
public sealed class IntakeKeyLimitTests(IntakeKeyLimitTests.StrictPortal portal) : IClassFixture<IntakeKeyLimitTests.StrictPortal>
{
    [Fact]
    public async Task Many_reports_behind_one_address_are_not_refused_where_one_form_hammering_is_and_keeps_its_text()
    {
        LimitWindow.Start(portal.Clock);
        // Arrange: three people behind one address file whole reports (four posts each, the per-form limit).
        for (var i = 0; i < 3; i++)
        {
            using var person = portal.Browser("en");
            var (reference, _) = await ReportJourney.FileAsync(person);
            reference.ShouldStartWith("SDS-");
        }
        using var hammering = portal.Browser("en");
        var page = await hammering.GetAsync("/report");
        var typed = ReportJourney.WhatHappened(narrative: "kept while waiting 기다리는 동안 그대로");
        for (var i = 0; i < 4; i++)
        {
            page = await hammering.SubmitAsync(page, typed, handler: i % 2 == 0 ? "Next" : "Back");
            hammering.LastStatus.ShouldBe(HttpStatusCode.OK);
        }

        // Act: the fifth post of the same form.
        page = await hammering.SubmitAsync(page, [], handler: "Next");

        // Assert: the same wizard with everything typed and a message, not an empty error page.
        hammering.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        hammering.LastResponse!.Headers.RetryAfter.ShouldNotBeNull();
        page.Text().ShouldContain("Nothing you wrote is lost: please wait a moment");
        var form = page.Forms.First(f => f.QuerySelector("[name='Input.IntakeKey']") is not null);
        PortalBrowser.CurrentValues(form).ShouldContain(new KeyValuePair<string, string>("Input.Narrative", "kept while waiting 기다리는 동안 그대로"));
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(3);

        // And after the minute the same form goes on.
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        await hammering.SubmitAsync(page, [], handler: "Next");
        hammering.LastStatus.ShouldBe(HttpStatusCode.OK);
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:IntakePerKeyPerMinute"] = "4",
            ["Portal:RateLimits:IntakePerMinute"] = "100",
        };
    }
}

/// <summary>The per-address limit on the report also answers with the wizard and its fields.</summary>
public sealed class IntakeAddressLimitTests(IntakeAddressLimitTests.StrictPortal portal) : IClassFixture<IntakeAddressLimitTests.StrictPortal>
{
    [Fact]
    public async Task Past_the_per_address_limit_the_send_comes_back_with_the_report_and_makes_no_case()
    {
        // Arrange: the limit is one whole report (four posts) from this address.
        LimitWindow.Start(portal.Clock);
        using var first = portal.Browser("en");
        await ReportJourney.FileAsync(first);
        using var second = portal.Browser("en");
        var page = await second.GetAsync("/report");

        // Act
        page = await ReportJourney.NextAsync(second, page, ReportJourney.WhatHappened(narrative: "typed before the limit 한도 전에 쓴 글"));

        // Assert
        second.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        page.Text().ShouldContain("please wait a moment");
        ((IHtmlTextAreaElement)page.QuerySelector("textarea[name='Input.Narrative']")!).Value.ShouldBe("typed before the limit 한도 전에 쓴 글");
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(1);
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:IntakePerMinute"] = "4",
        };
    }
}

/// <summary>Guessing at one reference is limited however many addresses the guesses come from.</summary>
public sealed class ReferenceGuessLimitTests(ReferenceGuessLimitTests.StrictPortal portal) : IClassFixture<ReferenceGuessLimitTests.StrictPortal>
{
    private static async Task<HttpStatusCode> CheckAsync(PortalBrowser browser, string token, string peer, string reference, string code)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/status")
        {
            Content = new FormUrlEncodedContent([new("__af", token), new("Input.Reference", reference), new("Input.Code", code)]),
        };
        request.Headers.Add(PeerAddressFilter.Header, peer);
        using var response = await browser.Client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Guesses_at_one_reference_from_many_addresses_are_refused_and_the_right_code_works_after_the_minute()
    {
        // Arrange
        using var victim = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        using var guesser = portal.Browser("en");
        var token = (await guesser.GetAsync("/status")).QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        LimitWindow.Start(portal.Clock);
        var answers = new List<HttpStatusCode>();

        // Act: each guess from a new address, the reference typed in different ways.
        for (var i = 1; i <= 4; i++)
        {
            var typed = i % 2 == 0 ? reference.ToLowerInvariant() : reference.Replace("-", " ", StringComparison.Ordinal);
            answers.Add(await CheckAsync(guesser, token, $"198.51.100.{i}", typed, "AAAA-AAAA-AAAA-AAAA"));
        }
        var otherReference = await CheckAsync(guesser, token, "198.51.100.5", CaseReference.New(), "AAAA-AAAA-AAAA-AAAA");

        // Assert
        answers[..3].ShouldAllBe(s => s == HttpStatusCode.OK);
        answers[3].ShouldBe(HttpStatusCode.TooManyRequests);
        otherReference.ShouldBe(HttpStatusCode.OK);

        // The limit lasts the minute, no longer: then the victim's own code opens her case.
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        var status = await ReportJourney.OpenStatusAsync(victim, reference, code);
        victim.LastResponse!.RequestMessage!.RequestUri!.AbsolutePath.ShouldBe("/status/case");
        status.QuerySelector("h1")!.TextContent.ShouldContain(reference);
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:AccessCodePerReferencePerMinute"] = "3",
            ["Portal:RateLimits:AccessCodePerMinute"] = "100",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.AddTransient<IStartupFilter, PeerAddressFilter>());
        }
    }
}
