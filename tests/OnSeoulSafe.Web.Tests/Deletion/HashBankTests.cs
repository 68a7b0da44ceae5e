using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Retention;
using OnSeoulSafe.Web.Infrastructure;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Deletion;

/// <summary>
/// The hash bank: every form that takes a file's fingerprints stores its SHA-256, its picture PDQ and its video frame
/// hashes with the case and who gave them; malformed hashes are refused with a message; erasure removes them.
/// </summary>
public sealed class HashBankTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string Pdq = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Sha(char c) => new(c, 64);

    /// <summary>Frame hashes as the browser posts them: 32 bytes of hash and a quality byte per second, base64url.</summary>
    private static string Frames(int count, int quality = 90) =>
        VideoFrameHashes.Format(Enumerable.Range(0, count).Select(i => (Enumerable.Range(0, 32).Select(b => (byte)(i * 7 + b)).ToArray(), quality)));

    private static KeyValuePair<string, string> Field(string prefix, int index, string name, string value) => new($"{prefix}[{index}].{name}", value);

    private Task<List<HashBankEntry>> BankAsync(string reference) =>
        portal.WithDbAsync(async db =>
        {
            var id = await db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync();
            return await db.HashBankEntries.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync();
        });

    private async Task<(PortalBrowser Browser, string Reference)> VictimAsync()
    {
        var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        return (browser, reference);
    }

    [Fact]
    public async Task The_intake_stores_each_files_SHA_256_PDQ_and_video_frames_in_the_bank_with_the_case()
    {
        // Arrange: a picture with its PDQ, a video with 5 seconds of frame hashes.
        using var browser = portal.Browser("en");
        var page = await browser.GetAsync("/report");
        KeyValuePair<string, string>[] evidence =
        [
            Field("Input.Evidence", 0, "Sha256", Sha('a')), Field("Input.Evidence", 0, "Kind", "Image"), Field("Input.Evidence", 0, "SizeBytes", "2048"),
            Field("Input.Evidence", 0, "Pdq", Pdq.ToUpperInvariant()), Field("Input.Evidence", 0, "PdqQuality", "100"),
            Field("Input.Evidence", 1, "Sha256", Sha('b')), Field("Input.Evidence", 1, "Kind", "Video"), Field("Input.Evidence", 1, "SizeBytes", "56201"),
            Field("Input.Evidence", 1, "Frames", Frames(5, quality: 42)),
        ];

        // Act: the hashes travel through the later steps as hidden fields.
        page = await ReportJourney.NextAsync(browser, page, [.. ReportJourney.WhatHappened(), .. evidence]);
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.Contact());
        var done = await ReportJourney.SendAsync(browser, page);

        // Assert
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var bank = await BankAsync(reference);
        bank.Count.ShouldBe(1 + 1 + 1 + 5);
        bank.ShouldAllBe(e => e.SuppliedBy == HashSupplier.Victim && e.MonitorReportId == null && e.Hash.Length == 32);
        bank.Where(e => e.Kind == HashKind.Sha256).Select(e => Convert.ToHexStringLower(e.Hash)).ShouldBe([Sha('a'), Sha('b')], ignoreOrder: true);
        bank.Where(e => e.Kind == HashKind.Sha256).ShouldAllBe(e => e.Quality == null);
        var picture = bank.Single(e => e.Kind == HashKind.PdqImage);
        Convert.ToHexStringLower(picture.Hash).ShouldBe(Pdq);
        picture.Quality.ShouldBe((short)100);
        var frames = bank.Where(e => e.Kind == HashKind.PdqVideoFrame).ToList();
        frames.Select(f => f.FrameSecond).ShouldBe([0, 1, 2, 3, 4]);
        frames.Select(f => f.VideoGroup).Distinct().ShouldHaveSingleItem().ShouldNotBeNull();
        frames.ShouldAllBe(f => f.Quality == 42);
        frames[3].Hash.ShouldBe(Enumerable.Range(0, 32).Select(b => (byte)(3 * 7 + b)).ToArray());
        (await portal.WithDbAsync(db => db.EvidenceHashes.CountAsync(e => db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference)))).ShouldBe(2);
    }

    [Theory]
    [InlineData("Pdq", "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b2", "PdqQuality", "90")]
    [InlineData("Pdq", Pdq, "PdqQuality", "101")]
    [InlineData("Pdq", Pdq, "PdqQuality", "")]
    [InlineData("PdqQuality", "80", "Kind", "Image")]
    [InlineData("Frames", "AAAA", "Kind", "Video")]
    [InlineData("Frames", "not*base64url/at+all=not*base64url/at+all=not", "Kind", "Video")]
    public async Task A_malformed_perceptual_hash_is_refused_with_a_message_and_the_typed_links_are_kept(string field, string value, string field2, string value2)
    {
        // Arrange
        var (browser, reference) = await VictimAsync();
        using var _ = browser;
        var before = (await BankAsync(reference)).Count;
        var page = await browser.GetAsync("/status/links");

        // Act
        var refused = await browser.SubmitAsync(page,
            [new("Links", "https://video.example.com/watch/kept-typed"), Field("Evidence", 0, "Sha256", Sha('c')), Field("Evidence", 0, field, value), Field("Evidence", 0, field2, value2)]);

        // Assert
        browser.LastStatus.ShouldBe(System.Net.HttpStatusCode.OK);
        refused.FieldErrors().ShouldContain("Only a file's fingerprint (SHA-256) can be sent, never the file.");
        refused.QuerySelector<IHtmlTextAreaElement>("#Links")!.Value.Trim().ShouldBe("https://video.example.com/watch/kept-typed");
        (await BankAsync(reference)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task A_frame_quality_over_100_or_more_than_an_hour_of_frames_is_refused()
    {
        // Arrange
        var (browser, reference) = await VictimAsync();
        using var _ = browser;
        var before = (await BankAsync(reference)).Count;
        var badQuality = VideoFrameHashes.Format([(new byte[32], 100), (new byte[32], 200)]);

        // Act
        var refusedQuality = await browser.SubmitAsync(await browser.GetAsync("/status/links"),
            [Field("Evidence", 0, "Sha256", Sha('d')), Field("Evidence", 0, "Kind", "Video"), Field("Evidence", 0, "Frames", badQuality)]);
        var refusedLength = await browser.SubmitAsync(await browser.GetAsync("/status/links"),
            [Field("Evidence", 0, "Sha256", Sha('d')), Field("Evidence", 0, "Kind", "Video"), Field("Evidence", 0, "Frames", Frames(VideoFrameHashes.MaxFrames + 1))]);

        // Assert
        VideoFrameHashes.Parse(badQuality).ShouldBeNull();
        refusedQuality.FieldErrors().ShouldContain("Only a file's fingerprint (SHA-256) can be sent, never the file.");
        refusedLength.FieldErrors().ShouldContain("Only a file's fingerprint (SHA-256) can be sent, never the file.");
        (await BankAsync(reference)).Count.ShouldBe(before);
    }

    [Fact]
    public async Task An_hour_of_video_frames_fits_in_one_form_and_is_stored()
    {
        // Arrange: 3,600 frames are one form value of 158,400 characters, within the portal's form limits.
        var (browser, reference) = await VictimAsync();
        using var _ = browser;
        var frames = Frames(VideoFrameHashes.MaxFrames);
        frames.Length.ShouldBeLessThan(PortalCookies.MaxFormValueLength);

        // Act
        var done = await browser.SubmitAsync(await browser.GetAsync("/status/links"),
            [Field("Evidence", 0, "Sha256", Sha('e')), Field("Evidence", 0, "Kind", "Video"), Field("Evidence", 0, "Frames", frames)]);

        // Assert
        done.Text().ShouldContain("1 file fingerprint(s) added");
        var bank = await BankAsync(reference);
        bank.Count(e => e.Kind == HashKind.PdqVideoFrame).ShouldBe(VideoFrameHashes.MaxFrames);
        bank.Where(e => e.Kind == HashKind.PdqVideoFrame).Max(e => e.FrameSecond).ShouldBe(VideoFrameHashes.MaxFrames - 1);
    }

    [Fact]
    public async Task The_companion_adds_fingerprints_on_the_ledger_and_sees_kind_quality_and_supplier_never_a_picture()
    {
        // Arrange: an open case assigned to the demo companion.
        string reference;
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var now = portal.Clock.GetUtcNow();
            var @case = await TestCases.OpenAsync(db, now, deletionConsent: true);
            var companion = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Companion.Email);
            var manager = await db.Users.SingleAsync(u => u.Email == CompanionWorld.Manager.Email);
            @case.AssignTo(companion, manager.Id, now);
            await db.SaveChangesAsync();
            reference = @case.Reference;
        }
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var url = $"/cases/{reference.ToLowerInvariant()}/deletion";
        var ledger = await browser.GetAsync(url);

        // Act
        var empty = await browser.SubmitAsync(ledger, [], formSelector: "#evidence-form", handler: "Evidence");
        var added = await browser.SubmitAsync(ledger,
            [Field("Evidence", 0, "Sha256", Sha('f')), Field("Evidence", 0, "Kind", "Image"), Field("Evidence", 0, "Pdq", Pdq), Field("Evidence", 0, "PdqQuality", "37"),
             Field("Evidence", 1, "Sha256", Sha('1')), Field("Evidence", 1, "Kind", "Video"), Field("Evidence", 1, "Frames", Frames(3, quality: 88))],
            formSelector: "#evidence-form", handler: "Evidence");

        // Assert
        ledger.QuerySelector("#hash-bank")!.TextContent.ShouldContain("No file fingerprints on this case yet.");
        empty.FieldErrors().ShouldContain("Choose a file to fingerprint first.");
        added.QuerySelector("#done")!.TextContent.ShouldContain("2 file fingerprint(s) added");
        var rows = added.QuerySelectorAll("#bank .bank-row").Select(r => r.TextContent).ToList();
        rows.Count.ShouldBe(4);
        rows.Count(r => r.Contains("Exact file (SHA-256)", StringComparison.Ordinal)).ShouldBe(2);
        rows.ShouldContain(r => r.Contains("Picture (PDQ)", StringComparison.Ordinal) && r.Contains("37", StringComparison.Ordinal) && r.Contains("weak", StringComparison.Ordinal) && r.Contains("Support companion", StringComparison.Ordinal));
        rows.ShouldContain(r => r.Contains("Video (PDQ per second)", StringComparison.Ordinal) && r.Contains("3 seconds", StringComparison.Ordinal) && r.Contains("88", StringComparison.Ordinal));
        added.QuerySelector("#hash-bank")!.QuerySelectorAll("img, video, canvas, picture").Length.ShouldBe(0);
        var bank = await BankAsync(reference);
        bank.Count.ShouldBe(2 + 1 + 3);
        bank.ShouldAllBe(e => e.SuppliedBy == HashSupplier.Companion);
    }

    [Fact]
    public async Task A_monitors_hashes_wait_on_the_report_follow_it_to_a_case_and_leave_when_a_report_is_dismissed()
    {
        // Arrange
        using var monitor = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, monitor, StaffRoles.Monitor);
        async Task ReportAsync(string url, char sha)
        {
            var form = await monitor.GetAsync("/monitor/report");
            await monitor.SubmitAsync(form,
                [new("Input.Url", url), new("Input.Kind", "Image"), Field("Input.Evidence", 0, "Sha256", Sha(sha)), Field("Input.Evidence", 0, "Kind", "Image"),
                 Field("Input.Evidence", 0, "Pdq", Pdq), Field("Input.Evidence", 0, "PdqQuality", "100")], "#monitor-report");
        }
        await ReportAsync("https://video.example.com/watch/bank-linked", '2');
        await ReportAsync("https://video.example.com/watch/bank-dismissed", '3');
        var pending = await portal.WithDbAsync(db => db.HashBankEntries.AsNoTracking().Where(e => e.MonitorReportId != null).Include(e => e.MonitorReport).ToListAsync());
        using var manager = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, manager, StaffRoles.Manager);
        var reference = await portal.WithDbAsync(db => db.Cases.Where(c => c.ClosedAt == null).OrderBy(c => c.Id).Select(c => c.Reference).FirstAsync());
        var queue = await manager.GetAsync("/intake/monitor-reports");
        string Key(string marker) => queue.QuerySelectorAll(".report-group").Single(g => g.TextContent.Contains(marker, StringComparison.Ordinal))
            .QuerySelector<IHtmlInputElement>("input[name='Input.Group']")!.Value;
        var linkedKey = Key("bank-linked");
        var dismissedKey = Key("bank-dismissed");

        // Act
        queue = await manager.SubmitAsync(queue, [new("Input.Group", linkedKey), new("Input.Reference", reference)], $"form[action*='handler=Link']:has(input[value='{linkedKey}'])");
        await manager.SubmitAsync(queue, [new("Input.Group", dismissedKey), new("Input.Reason", "Not abuse")], $"form[action*='handler=Dismiss']:has(input[value='{dismissedKey}'])");

        // Assert
        var mine = pending.Where(e => e.Hash.SequenceEqual(Convert.FromHexString(Sha('2'))) || e.Hash.SequenceEqual(Convert.FromHexString(Sha('3'))) || e.Kind == HashKind.PdqImage).ToList();
        mine.Count.ShouldBe(4);
        mine.ShouldAllBe(e => e.CaseId == null && e.SuppliedBy == HashSupplier.Monitor);
        var linkedReport = await portal.WithDbAsync(db => db.MonitorReports.Where(r => r.Status == MonitorReportStatus.LinkedToCase && r.Sha256 == Sha('2')).Select(r => r.Id).SingleAsync());
        var dismissedReport = await portal.WithDbAsync(db => db.MonitorReports.Where(r => r.Status == MonitorReportStatus.Dismissed && r.Sha256 == Sha('3')).Select(r => r.Id).SingleAsync());
        var linked = await portal.WithDbAsync(db => db.HashBankEntries.AsNoTracking().Where(e => e.MonitorReportId == linkedReport).ToListAsync());
        linked.Select(e => e.Kind).ShouldBe([HashKind.Sha256, HashKind.PdqImage], ignoreOrder: true);
        var caseId = await portal.WithDbAsync(db => db.Cases.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync());
        linked.ShouldAllBe(e => e.CaseId == caseId);
        (await portal.WithDbAsync(db => db.HashBankEntries.CountAsync(e => e.MonitorReportId == dismissedReport))).ShouldBe(0);
    }

    [Fact]
    public async Task A_monitors_picture_whose_PDQ_matches_a_cases_bank_suggests_that_case_to_the_manager()
    {
        // Arrange: a case's bank holds a picture's PDQ; a monitor reports a copy whose PDQ differs by 8 bits.
        var banked = string.Concat(Enumerable.Repeat("a5", 32));
        var copy = "5a" + banked[2..];
        var (reference, entryId) = await portal.WithDbAsync(async db =>
        {
            var @case = await db.Cases.Where(c => c.ClosedAt == null).OrderByDescending(c => c.Id).FirstAsync();
            var entry = new HashBankEntry(@case.Id, HashKind.PdqImage, Convert.FromHexString(banked), 90, null, null, HashSupplier.Victim, portal.Clock.GetUtcNow());
            db.HashBankEntries.Add(entry);
            await db.SaveChangesAsync();
            return (@case.Reference, entry.Id);
        });
        using var monitor = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, monitor, StaffRoles.Monitor);
        var form = await monitor.GetAsync("/monitor/report");
        await monitor.SubmitAsync(form,
            [new("Input.Url", "https://video.example.com/watch/bank-suggested"), new("Input.Kind", "Image"), Field("Input.Evidence", 0, "Sha256", Sha('5')),
             Field("Input.Evidence", 0, "Kind", "Image"), Field("Input.Evidence", 0, "Pdq", copy), Field("Input.Evidence", 0, "PdqQuality", "100")], "#monitor-report");
        var index = portal.Services.GetRequiredService<OnSeoulSafe.Cases.Matching.HashBankIndex>();
        await PerceptualRecheckTests.WaitForAsync(index, () => index.Query([OnSeoulSafe.Hashing.PdqHash.Parse(banked)], 0).Any(m => m.Id == entryId));

        // Act
        using var manager = portal.Browser("en");
        await StaffSignIn.AsAsync(portal, manager, StaffRoles.Manager);
        var queue = await manager.GetAsync("/intake/monitor-reports");

        // Assert: the case's reference, the kind and the distance; no picture on the page.
        var group = queue.QuerySelectorAll(".report-group").Single(g => g.TextContent.Contains("bank-suggested", StringComparison.Ordinal));
        var suggestion = group.QuerySelector(".suggested-cases")!.TextContent;
        suggestion.ShouldContain(reference);
        suggestion.ShouldContain("PDQ of a picture");
        suggestion.ShouldContain("distance 8 of 256 bits");
        group.QuerySelectorAll("img").Length.ShouldBe(0);
    }

    [Fact]
    public async Task Erasure_removes_the_cases_bank_entries_and_no_other_cases()
    {
        // Arrange: two victims' cases with fingerprints.
        var (first, erased) = await VictimAsync();
        var (second, kept) = await VictimAsync();
        using var _ = first;
        using var __ = second;
        foreach (var (browser, sha) in new[] { (first, '4'), (second, '5') })
        {
            await browser.SubmitAsync(await browser.GetAsync("/status/links"),
                [Field("Evidence", 0, "Sha256", Sha(sha)), Field("Evidence", 0, "Kind", "Image"), Field("Evidence", 0, "Pdq", Pdq), Field("Evidence", 0, "PdqQuality", "90")]);
        }
        (await BankAsync(erased)).Count.ShouldBe(2);

        // Act
        await using (var scope = portal.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var id = await db.Cases.Where(c => c.Reference == erased).Select(c => c.Id).SingleAsync();
            await CaseErasure.EraseAsync(db, id, portal.Clock.GetUtcNow(), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        // Assert
        (await BankAsync(erased)).ShouldBeEmpty();
        (await BankAsync(kept)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Each_insert_and_delete_in_the_bank_is_announced_on_the_hash_bank_channel()
    {
        // Arrange
        await using var listener = new NpgsqlConnection(portal.ConnectionString);
        await listener.OpenAsync();
        var heard = new List<string>();
        listener.Notification += (_, e) => { if (e.Channel == "hash_bank") heard.Add(e.Payload); };
        await using (var listen = new NpgsqlCommand("LISTEN hash_bank", listener)) await listen.ExecuteNonQueryAsync();
        var (browser, reference) = await VictimAsync();
        using var _ = browser;

        // Act
        await browser.SubmitAsync(await browser.GetAsync("/status/links"),
            [Field("Evidence", 0, "Sha256", Sha('6')), Field("Evidence", 0, "Kind", "Image"), Field("Evidence", 0, "Pdq", Pdq), Field("Evidence", 0, "PdqQuality", "90")]);
        var ids = (await BankAsync(reference)).Select(e => e.Id).ToList();
        await portal.WithDbAsync(db => db.HashBankEntries.Where(e => e.Id == ids[0]).ExecuteDeleteAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (heard.Count < 3) await listener.WaitAsync(timeout.Token);

        // Assert
        ids.Count.ShouldBe(2);
        heard.ShouldBe([$"INSERT {ids[0]}", $"INSERT {ids[1]}", $"DELETE {ids[0]}"]);
    }
}
