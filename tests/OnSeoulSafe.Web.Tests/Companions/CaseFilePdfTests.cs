using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Pages.Cases;
using OnSeoulSafe.Web.Resources;
using OnSeoulSafe.Web.Tests.Support;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace OnSeoulSafe.Web.Tests.Companions;

/// <summary>The case file as a PDF for the police or a court: consent, content, fonts, hash on the timeline, logging, size.</summary>
public sealed class CaseFilePdfTests(PortalFactory portal, ITestOutputHelper output) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Narrative = "그 사람이 제 영상을 텔레그램 방에 올렸어요. 처음 본 날은 3월 2일이에요.";
    private const string Amendment = "같은 영상이 다른 게시판에도 올라왔어요.";
    private const string Link = "https://forum.example/board/post-48213";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string ExportUrl(string reference) => CompanionWorld.FileUrl(reference) + "/export";

    private Task<string> OpenConsentedCaseAsync(int notes = 0, ServiceTrackKind consent = ServiceTrackKind.Investigation) =>
        portal.OpenCaseAsync(Narrative, assignTo: CompanionWorld.Companion, more: (c, companion) =>
        {
            var start = DateTimeOffset.UtcNow.AddDays(-20);
            c.GiveConsent(consent, null, start);
            c.Amend(Amendment, null, start.AddHours(1));
            var item = new ContentItem(c.Id, Link, RandomNumberGenerator.GetBytes(32), null, ContentKind.Video, ContentFinder.Victim, isMinor: false, start.AddHours(2));
            item.SetHashes(new string('a', 64), null);
            c.ContentItems.Add(item);
            for (var i = 1; i <= notes; i++)
            {
                c.LogActivity(ServiceTrackKind.Investigation, TimelineEventKind.Note, companion!.Id, start.AddMinutes(i), null, null, $"note-{i:00000}", start.AddMinutes(i));
            }
        });

    /// <summary>Submits the export form as the browser does and returns the raw answer (a PDF, or the page again).</summary>
    private static async Task<HttpResponseMessage> GenerateAsync(PortalBrowser browser, string reference)
    {
        var page = await browser.GetAsync(ExportUrl(reference));
        var form = page.QuerySelector<IHtmlFormElement>("#export-form") ?? throw new InvalidOperationException("No export form.");
        return await browser.Client.PostAsync(ExportUrl(reference), new FormUrlEncodedContent(PortalBrowser.CurrentValues(form)));
    }

    private static string Squeezed(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    [Fact]
    public async Task The_pdf_carries_the_file_every_page_names_the_case_and_its_hash_goes_on_the_timeline()
    {
        // Arrange
        var reference = await OpenConsentedCaseAsync(notes: 200);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion, culture: "ko");
        var logged = (await portal.AccessLogAsync(reference)).Count;

        // Act
        using var response = await GenerateAsync(browser, reference);

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var pdf = PdfDocument.Open(bytes);
        pdf.NumberOfPages.ShouldBeGreaterThan(1);
        var pages = pdf.GetPages().Select(p => Squeezed(p.Text)).ToList();
        pages.ShouldAllBe(text => text.Contains(Squeezed($"사례 파일 {reference}")));
        pages.ShouldAllBe(text => text.Contains(Squeezed($"{pdf.NumberOfPages}쪽 중")));
        var all = string.Concat(pages);
        all.ShouldContain(Squeezed(Narrative));
        all.ShouldContain(Squeezed(Amendment));
        all.ShouldContain(Squeezed(Link));
        all.ShouldContain(new string('a', 64));
        all.ShouldContain(Squeezed("수사 지원 · 모든 협력 기관"));
        all.ShouldContain("note-00001");
        all.ShouldContain("note-00200");
        all.IndexOf("note-00001", StringComparison.Ordinal).ShouldBeLessThan(all.IndexOf("note-00200", StringComparison.Ordinal), "oldest first");

        // The Korean font is embedded as a subset (a six-letter tag before its name), not the whole 4 MB file.
        var fonts = pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.FontName).Distinct().ToList();
        fonts.ShouldNotBeEmpty();
        fonts.ShouldAllBe(name => name != null && name.Contains('+') && name.Contains("NanumGothic"));
        output.WriteLine($"200 events: {pdf.NumberOfPages} pages, {bytes.Length} bytes");
        bytes.Length.ShouldBeLessThan(600_000);

        var caseId = await portal.CaseIdAsync(reference);
        var exported = await portal.WithDbAsync(db => db.TimelineEvents.Where(e => e.CaseId == caseId && e.Kind == TimelineEventKind.CaseFileExported).ToListAsync());
        exported.Count.ShouldBe(1);
        exported[0].Detail.ShouldBe("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
        exported[0].StaffId.ShouldBe(await portal.StaffIdAsync(CompanionWorld.Companion));

        var log = await portal.AccessLogAsync(reference);
        log.Count.ShouldBe(logged + 2, "the form's view and the export");
        log[^1].Action.ShouldBe(AccessAction.Export);
        log[^1].What.ShouldBe("/Cases/Export");
    }

    [Fact]
    public async Task Without_consent_to_investigation_or_legal_support_no_document_is_made()
    {
        // Arrange: consent to psychological support only.
        var reference = await OpenConsentedCaseAsync(consent: ServiceTrackKind.Psychological);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var page = await browser.GetAsync(ExportUrl(reference));
        var token = page.QuerySelector("input[name=__af]")?.GetAttribute("value") ?? await CompanionWorld.AntiforgeryTokenAsync(browser, signedIn: true);

        // Act: the form is not offered; a post anyway is refused with the reason.
        var answer = await browser.PostAsync(ExportUrl(reference), [new("__af", token)]);

        // Assert
        page.QuerySelector("#export-form").ShouldBeNull();
        page.QuerySelector("#export-refused").ShouldNotBeNull();
        browser.LastResponse!.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        answer.Text().ShouldContain("has not consented to investigation or legal support");
        var caseId = await portal.CaseIdAsync(reference);
        (await portal.WithDbAsync(db => db.TimelineEvents.CountAsync(e => e.CaseId == caseId && e.Kind == TimelineEventKind.CaseFileExported))).ShouldBe(0);
    }

    [Fact]
    public async Task Another_companion_cannot_generate_the_file()
    {
        var reference = await OpenConsentedCaseAsync();
        using var browser = await portal.SignInAsync(CompanionWorld.OtherCompanion);

        await browser.GetAsync(ExportUrl(reference), HttpStatusCode.NotFound);

        (await portal.AccessLogAsync(reference))[^1].Action.ShouldBe(AccessAction.Denied);
    }

    [Fact]
    public async Task Ten_thousand_timeline_events_make_their_pdf_in_bounded_time()
    {
        // Arrange
        var reference = await OpenConsentedCaseAsync(notes: 10_000);
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);

        // Act
        var watch = Stopwatch.StartNew();
        using var response = await GenerateAsync(browser, reference);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        watch.Stop();

        // Assert
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
        using var pdf = PdfDocument.Open(bytes);
        output.WriteLine($"10,000 events: {watch.ElapsedMilliseconds} ms, {pdf.NumberOfPages} pages, {bytes.Length} bytes");
        var last = Squeezed(pdf.GetPage(pdf.NumberOfPages).Text);
        last.ShouldContain("note-10000");
        last.ShouldContain(reference);
    }

    [Fact]
    public async Task The_document_grows_with_the_timeline_not_faster()
    {
        // Arrange: the writer on its own, fed events as the database streams them (no round trips to measure).
        await using var scope = portal.Scope();
        var labels = scope.ServiceProvider.GetRequiredService<IStringLocalizer<CasesText>>();
        var text = scope.ServiceProvider.GetRequiredService<IStringLocalizer<CaseFileText>>();

        // Act
        var (small, smallBytes) = await MeasureAsync(1_000, labels, text);
        var (large, largeBytes) = await MeasureAsync(10_000, labels, text);

        output.WriteLine($"1,000 events: {small} bytes allocated, {smallBytes} bytes; 10,000 events: {large} bytes allocated, {largeBytes} bytes");

        // Assert: ten times the events costs about ten times the memory, and stays under 512 MB allocated in all.
        large.ShouldBeLessThan(512L * 1024 * 1024);
        ((double)large / small).ShouldBeLessThan(14);
        ((double)largeBytes / smallBytes).ShouldBeLessThan(14);
    }

    private static async Task<(long Allocated, long Size)> MeasureAsync(int events, IStringLocalizer<CasesText> labels, IStringLocalizer<CaseFileText> text)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var staff = Guid.NewGuid();
        var @case = Case.Open(1, "SDS-TEST-CASE-X", [1], new Victim(null, "ko"), [CrimeType.IllegalFilming], Narrative, null,
            new RiskScreening(false, false, false, false), SafeContact.PortalOnly, [1], start);
        var companion = new StaffMember { Id = staff, FirstName = "지원", FullName = "김지원", IsActive = true };
        @case.AssignTo(companion, Guid.NewGuid(), start);
        for (var i = 1; i <= events; i++)
        {
            @case.LogActivity(ServiceTrackKind.Legal, TimelineEventKind.Note, staff, start.AddMinutes(i), "서울중앙지방법원", 30, $"note-{i:00000} 변호사와 고소장 초안을 검토했습니다.", start.AddMinutes(i));
        }
        var contents = new CaseFileContents(@case, start, "지원", new Dictionary<Guid, string> { [staff] = "지원" }, new Dictionary<int, string>(), [], []);
        using var output = new MemoryStream();
        var before = GC.GetAllocatedBytesForCurrentThread();
        await CaseFilePdf.WriteAsync(contents, Stream(@case.Timeline), output, labels, text, CancellationToken.None);
        return (GC.GetAllocatedBytesForCurrentThread() - before, output.Length);
    }

#pragma warning disable CS1998 // completes synchronously, as a streamed read whose rows are already buffered
    private static async IAsyncEnumerable<TimelineEvent> Stream(IEnumerable<TimelineEvent> events)
#pragma warning restore CS1998
    {
        foreach (var entry in events) yield return entry;
    }
}
