using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;
using OpenTelemetry.Trace;
using Serilog.Core;

namespace OnSeoulSafe.Web.Tests.Security;

/// <summary>
/// Intake, status, companion and deletion flows with unique canary values in every victim field: none of them may
/// appear in any log line the host writes (at any level, with scopes and exceptions), in any span it traces (names,
/// tags, events, status) or in any address requested.
/// </summary>
public sealed class LogCanaryTests(LogCanaryTests.RecordingPortal portal) : IClassFixture<LogCanaryTests.RecordingPortal>
{
    private static string Canary(string what) => $"cnry{what}{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task No_victim_value_reaches_a_log_line_or_an_address()
    {
        // Arrange
        await portal.SeedDemoAsync();
        var narrative = Canary("narr");
        var nickname = Canary("nick");
        var phone = "010-" + Random.Shared.Next(1000, 9999) + "-" + Random.Shared.Next(1000, 9999);
        var email = Canary("mail") + "@example.org";
        var safeWord = Canary("word");
        var reportLink = "https://video.example.com/" + Canary("link");
        var statusLink = "https://social.example.net/p/" + Canary("slnk");
        var victimMessage = Canary("vmsg");
        var amendment = Canary("amnd");
        var reply = Canary("rply");
        var monitorLink = "https://video.example.com/watch/" + Canary("mlnk");
        var monitorNote = Canary("note");
        var badEmail = Canary("bad") + "@@";
        var ledgerLink = "https://video.example.com/watch/" + Canary("dlnk");
        var place = Canary("plce");
        var note = Canary("tnot");
        string[] canaries =
        [
            narrative, nickname, phone, email, safeWord, reportLink, statusLink, victimMessage, amendment, reply, monitorLink, monitorNote,
            badEmail, ledgerLink, place, note,
        ];
        var urls = new ConcurrentQueue<string>();

        // Act: the victim reports (once with a mistake), reads the status, writes, adds a link and an amendment.
        using var victim = Browser(urls);
        var page = await victim.GetAsync("/report");
        page = await ReportJourney.NextAsync(victim, page, ReportJourney.WhatHappened(narrative, reportLink));
        page = await ReportJourney.NextAsync(victim, page, ReportJourney.Safety());
        KeyValuePair<string, string>[] contact =
        [
            new("Input.Channel", "Text"), new("Input.Phone", phone), new("Input.Email", badEmail), new("Input.SafeFrom", "18:00"),
            new("Input.SafeUntil", "21:00"), new("Input.SafeWord", safeWord), new("Input.Consents", "Deletion"), new("Input.Nickname", nickname),
        ];
        var refused = await ReportJourney.NextAsync(victim, page, contact);
        refused.FieldErrors().ShouldNotBeEmpty();
        page = await ReportJourney.NextAsync(victim, refused, [new("Input.Email", email)]);
        var done = await ReportJourney.SendAsync(victim, page);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var code = done.QuerySelector("#access-code")!.TextContent.Trim();
        await ReportJourney.OpenStatusAsync(victim, reference, code);
        var status = await victim.GetAsync("/status/case");
        var token = status.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        await victim.PostAsync("/status/case?handler=Message", [new("NewMessage", victimMessage), new("__af", token)]);
        await victim.PostAsync("/status/links", [new("Links", statusLink), new("__af", token)]);
        await victim.PostAsync("/status/amend", [new("Addition", amendment), new("__af", token)]);

        // The companion reads the file and replies; a monitor reports a link with a note.
        await AssignAsync(reference);
        using var companion = Browser(urls);
        await StaffSignIn.AsAsync(portal, companion, CompanionWorld.Companion);
        var file = await companion.GetAsync(CompanionWorld.FileUrl(reference));
        await companion.PostAsync(CompanionWorld.FileUrl(reference) + "?handler=Message",
            [new("Reply.Body", reply), new("__af", file.QuerySelector("input[name=__af]")!.GetAttribute("value")!)]);
        // The companion adds a link on the deletion ledger, requests deletion of every link (the request texts quote
        // them), records the platforms' answer, and logs an appointment with a place and a note.
        var companionToken = file.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        var ledgerUrl = CompanionWorld.FileUrl(reference) + "/deletion";
        await companion.PostAsync(ledgerUrl + "?handler=Add", [new("Add.Links", ledgerLink), new("Add.Kind", "Video"), new("__af", companionToken)]);
        var requestPage = await companion.PostAsync(ledgerUrl + "?handler=Request", [new("scope", "all"), new("Lang", "en"), new("__af", companionToken)]);
        requestPage.Text().ShouldContain(ledgerLink);
        var caseId = await portal.CaseIdAsync(reference);
        var itemIds = await portal.WithDbAsync(db => db.ContentItems.Where(i => i.CaseId == caseId).Select(i => i.Id).ToListAsync());
        await companion.PostAsync(ledgerUrl + "?handler=Outcome",
            [new("outcome", "Deleted"), .. itemIds.Select(id => new KeyValuePair<string, string>("Selected", id.ToString(System.Globalization.CultureInfo.InvariantCulture))), new("__af", companionToken)]);
        await companion.PostAsync(CompanionWorld.FileUrl(reference) + "/tracks/investigation?handler=Activity",
        [
            new("Activity.Kind", "Appointment"), new("Activity.OccurredAt", "2026-11-20T14:30"), new("Activity.Place", place),
            new("Activity.DurationMinutes", "40"), new("Activity.Note", note), new("__af", companionToken),
        ]);
        using var monitor = Browser(urls);
        await StaffSignIn.AsAsync(portal, monitor, CompanionWorld.Monitor);
        await monitor.SubmitAsync(await monitor.GetAsync("/monitor/report"), [new("Input.Url", monitorLink), new("Input.Note", monitorNote)], formSelector: "#monitor-report");

        // Assert: the flows really ran ...
        file.Text().ShouldContain(narrative);
        var (messages, links, amendments, monitorUrls) = await portal.WithDbAsync(async db => (
            await db.Messages.Select(m => m.Body).ToListAsync(), await db.ContentItems.Select(i => i.Url).ToListAsync(),
            await db.NarrativeAmendments.CountAsync(), await db.MonitorReports.Select(r => r.Url).ToListAsync()));
        messages.ShouldContain(victimMessage);
        messages.ShouldContain(reply);
        links.ShouldContain(reportLink);
        links.ShouldContain(statusLink);
        amendments.ShouldBe(1);
        monitorUrls.ShouldContain(monitorLink);
        var ledger = await portal.WithDbAsync(db => db.ContentItems.Where(i => i.CaseId == caseId).Select(i => new { i.Url, i.Status }).ToListAsync());
        ledger.ShouldContain(i => i.Url == ledgerLink);
        ledger.ShouldAllBe(i => i.Status == OnSeoulSafe.Cases.Domain.ContentStatus.Deleted);
        var events = await portal.WithDbAsync(db => db.TimelineEvents.Where(e => e.Kind == OnSeoulSafe.Cases.Domain.TimelineEventKind.Appointment).ToListAsync());
        events.ShouldContain(e => e.Place == place && e.Note == note);

        // ... and left no canary in the logs or addresses.
        var lines = portal.Logs.Lines.ToList();
        // The request log names the page and carries neither the path nor the query (Serilog's default would).
        var requestLog = lines.Where(l => l.Contains("RequestLoggingMiddleware", StringComparison.Ordinal)).ToList();
        requestLog.ShouldContain(l => l.Contains("Page=\"/Status/Case\"", StringComparison.Ordinal));
        requestLog.ShouldAllBe(l => l.Contains(" | Page=", StringComparison.Ordinal) && !l.Contains("RequestPath", StringComparison.Ordinal)
            && !l.Contains("QueryString", StringComparison.Ordinal));
        // Spans were traced (requests by their route, database commands) and carry no address.
        var spans = portal.Spans.Snapshot();
        spans.ShouldContain(s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") != null);
        spans.ShouldContain(s => s.Source.Name == "Npgsql");
        spans.ShouldAllBe(s => s.GetTagItem("url.path") == null && s.GetTagItem("url.full") == null && s.GetTagItem("url.query") == null);
        var spanTexts = spans.Select(Describe).ToList();
        foreach (var canary in canaries)
        {
            spanTexts.Where(t => t.Contains(canary, StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty($"spans containing {canary}");
            lines.Where(l => l.Contains(canary, StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty($"log lines containing {canary}");
            urls.Where(u => u.Contains(canary, StringComparison.OrdinalIgnoreCase) || u.Contains(Uri.EscapeDataString(canary), StringComparison.OrdinalIgnoreCase))
                .ShouldBeEmpty($"addresses containing {canary}");
        }
    }

    /// <summary>Everything a span carries as text: name, status, every tag, every event with its tags, baggage.</summary>
    private static string Describe(Activity span) =>
        string.Join(" | ",
            new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
                .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}").Append(e.Name)))
                .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}")));

    private PortalBrowser Browser(ConcurrentQueue<string> urls) =>
        new(portal.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(new CookieContainer()), new UrlRecorder(urls)), "en");

    private async Task AssignAsync(string reference)
    {
        await using var scope = portal.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var @case = await db.Cases.SingleAsync(c => c.Reference == reference);
        var companion = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Companion.Email);
        var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
        @case.AssignTo(companion, manager.Id, TimeProvider.System.GetUtcNow());
        await db.SaveChangesAsync();
    }

    /// <summary>Every address a browser asks for and every redirect target it is given.</summary>
    private sealed class UrlRecorder(ConcurrentQueue<string> seen) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Enqueue(request.RequestUri!.ToString());
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.Location is { } location) seen.Enqueue(location.OriginalString);
            return response;
        }
    }

    /// <summary>The portal with a recorder beside its Serilog output, at every level of every category.</summary>
    public sealed class RecordingPortal : PortalFactory
    {
        public LogRecorder Logs { get; } = new();

        /// <summary>Every span the portal ends, through an in-memory exporter after the portal's own processors.</summary>
        public SpanList Spans { get; } = [];

        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:Telemetry:Traces"] = "true",
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore"] = "Verbose",
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<ILogEventSink>(Logs);
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            });
        }
    }

    /// <summary>A list spans from several request threads may be added to at once.</summary>
    public sealed class SpanList : Collection<Activity>
    {
        private readonly Lock _lock = new();

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock) base.InsertItem(index, item);
        }

        public List<Activity> Snapshot()
        {
            lock (_lock) return [.. this];
        }
    }
}
