using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Web.Tests.Infrastructure;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Resilience;

/// <summary>
/// PostgreSQL is killed (pg_ctl stop -m immediate) while reports are streaming in, then started again: every report
/// is either whole in the database or handed back to the victim with every field kept, and the portal recovers alone.
/// </summary>
public sealed class DatabaseRestartTests
{
    private const string TryAgain = "We could not save your report just now";
    private static readonly HtmlParser Parser = new();

    private sealed record Attempt(Guid IntakeKey, string Narrative, HttpStatusCode Status, IHtmlDocument Page)
    {
        public string? Reference => Page.QuerySelector("#case-reference")?.TextContent.Trim();
    }

    [Fact]
    public async Task Killing_the_database_mid_stream_loses_no_report_and_leaves_no_half_case()
    {
        // Arrange: a cluster of its own, so stopping it disturbs no other test.
        await using var server = await PostgresServer.StartDedicatedAsync();
        await server.CreateDatabaseAsync("oss_restart");
        // The test clusters run with synchronous_commit=off for speed, which lets a crash drop commits already
        // acknowledged; a production server commits synchronously, and so do this test's connections.
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionStringFor("oss_restart"))
        {
            Options = "-c synchronous_commit=on",
        }.ConnectionString;
        await using (var db = PortalDatabaseTemplate.NewContext(connectionString, TestSecrets.Cipher))
        {
            await db.Database.MigrateAsync();
        }
        await using var portal = new FixedDatabasePortal(connectionString);
        using var browser = portal.Browser("en");
        var form = await browser.GetAsync("/report");
        var token = form.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        var attempts = new ConcurrentBag<Attempt>();
        var savedBeforeStop = new TaskCompletionSource();
        var failedWhileDown = new TaskCompletionSource();
        var savedAfterRestart = new TaskCompletionSource();
        var restarted = false;
        using var finish = new CancellationTokenSource();

        async Task StreamAsync(int stream)
        {
            for (var i = 0; !finish.IsCancellationRequested; i++)
            {
                var attempt = await SendAsync(browser, token, $"stream {stream} report {i}: canary-{Guid.NewGuid():N}");
                attempts.Add(attempt);
                var saved = attempt.Reference is not null;
                if (saved && attempts.Count(a => a.Reference is not null) >= 4) savedBeforeStop.TrySetResult();
                if (!saved) failedWhileDown.TrySetResult();
                if (saved && Volatile.Read(ref restarted)) savedAfterRestart.TrySetResult();
            }
        }

        // Act: two victims' worth of reports stream in; the database dies in the middle and comes back.
        var streams = Task.WhenAll(StreamAsync(1), StreamAsync(2));
        await WithinAsync(savedBeforeStop.Task, "reports were saved before the stop");
        await server.StopImmediateAsync();
        var healthWhileDown = (await browser.GetRawAsync("/health")).StatusCode;
        await WithinAsync(failedWhileDown.Task, "a report was refused while the database was down");
        await server.StartAsync();
        Volatile.Write(ref restarted, true);
        await WithinAsync(savedAfterRestart.Task, "a report was saved after the restart");
        await finish.CancelAsync();
        await streams;
        var healthAfter = (await browser.GetRawAsync("/health")).StatusCode;

        // Assert: each answer is a receipt or the friendly page with the form intact; never a 500.
        healthWhileDown.ShouldBe(HttpStatusCode.ServiceUnavailable);
        healthAfter.ShouldBe(HttpStatusCode.OK);
        var failed = attempts.Where(a => a.Reference is null).ToList();
        failed.ShouldNotBeEmpty();
        foreach (var attempt in attempts)
        {
            attempt.Status.ShouldBe(HttpStatusCode.OK, $"intake {attempt.IntakeKey}");
            if (attempt.Reference is not null) continue;
            attempt.Page.Text().ShouldContain(TryAgain);
            Field(attempt.Page, "Input.Narrative").ShouldBe(attempt.Narrative);
            Field(attempt.Page, "Input.Nickname").ShouldBe("Sky");
            Field(attempt.Page, "Input.Phone").ShouldBe("010-1234-5678");
            Field(attempt.Page, "Input.IntakeKey").ShouldBe(attempt.IntakeKey.ToString());
        }

        // The victims press send again: each refused report is saved exactly once, a second press changes nothing.
        foreach (var attempt in failed)
        {
            var kept = PortalBrowser.CurrentValues(attempt.Page.Forms.Single(f => f.QuerySelector("[name='Input.IntakeKey']") is not null));
            var again = await browser.PostAsync("/report?handler=Submit", kept);
            var reference = again.QuerySelector("#case-reference")?.TextContent.Trim();
            reference.ShouldNotBeNull($"resubmitting {attempt.IntakeKey}: {again.Text()}");
            var twice = await browser.PostAsync("/report?handler=Submit", kept);
            twice.QuerySelector("#case-reference")?.TextContent.Trim().ShouldBe(reference);
        }

        await using var check = PortalDatabaseTemplate.NewContext(connectionString, TestSecrets.Cipher);
        var cases = await check.Cases.AsNoTracking()
            .Select(c => new
            {
                c.IntakeFingerprint,
                Narratives = check.Narratives.Count(n => n.CaseId == c.Id),
                Tracks = check.ServiceTracks.Count(t => t.CaseId == c.Id),
                Timeline = check.TimelineEvents.Count(t => t.CaseId == c.Id),
                Items = check.ContentItems.Count(i => i.CaseId == c.Id),
            })
            .ToListAsync();
        var keyByFingerprint = attempts.Select(a => a.IntakeKey).Distinct()
            .ToDictionary(k => Convert.ToHexString(TestSecrets.Fingerprints.IntakeFingerprint(k)));
        cases.Select(c => Convert.ToHexString(c.IntakeFingerprint)).ShouldBe(keyByFingerprint.Keys, ignoreOrder: true);
        foreach (var saved in cases.Select(c => new { IntakeKey = keyByFingerprint[Convert.ToHexString(c.IntakeFingerprint)], c.Narratives, c.Tracks, c.Timeline, c.Items }))
        {
            saved.Narratives.ShouldBe(1, $"case of intake {saved.IntakeKey}");
            saved.Tracks.ShouldBe(6, $"case of intake {saved.IntakeKey}");
            saved.Timeline.ShouldBeGreaterThan(0, $"case of intake {saved.IntakeKey}");
            saved.Items.ShouldBe(2, $"case of intake {saved.IntakeKey}");
        }
    }

    /// <summary>The last step's POST, with every field of the wizard and a fresh intake key.</summary>
    private static async Task<Attempt> SendAsync(PortalBrowser browser, string token, string narrative)
    {
        var key = Guid.NewGuid();
        var fields = ReportJourney.WhatHappened(narrative)
            .Concat(ReportJourney.Safety())
            .Concat(ReportJourney.Contact())
            .Append(new("Input.IntakeKey", key.ToString()))
            .Append(new("Step", "4"))
            .Append(new("__af", token));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/report?handler=Submit") { Content = new FormUrlEncodedContent(fields) };
        using var response = await browser.Client.SendAsync(request);
        var page = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        return new Attempt(key, narrative, response.StatusCode, page);
    }

    private static string? Field(IHtmlDocument page, string name) =>
        page.QuerySelector($"[name='{name}']")?.GetAttribute("value");

    private static async Task WithinAsync(Task condition, string what)
    {
        var finished = await Task.WhenAny(condition, Task.Delay(TimeSpan.FromSeconds(90)));
        finished.ShouldBe(condition, $"timed out waiting until {what}");
    }

    private sealed class FixedDatabasePortal(string connectionString) : PortalFactory
    {
        public override Task InitializeAsync() => Task.CompletedTask;

        protected override IDictionary<string, string?> ExtraConfiguration =>
            new Dictionary<string, string?> { ["ConnectionStrings:Portal"] = connectionString };
    }
}
