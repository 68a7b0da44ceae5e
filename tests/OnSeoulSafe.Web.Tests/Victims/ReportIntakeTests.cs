using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Cases.Protection;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class ReportIntakeTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task A_complete_report_creates_exactly_one_case_with_all_its_parts()
    {
        using var browser = portal.Browser("en");
        var before = await portal.WithDbAsync(db => db.Cases.CountAsync());

        var (reference, code) = await ReportJourney.FileAsync(browser);

        reference.ShouldMatch(@"^SDS-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$");
        code.ShouldMatch(@"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$");
        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(before + 1);
        var saved = await portal.WithDbAsync(db => db.Cases
            .Include(c => c.Narrative).Include(c => c.Victim).Include(c => c.Consents).Include(c => c.Tracks)
            .Include(c => c.Timeline).Include(c => c.ContentItems)
            .SingleAsync(c => c.Reference == reference));
        saved.Narrative.Text.ShouldBe(ReportJourney.Narrative);
        saved.Narrative.HappenedOn.ShouldBe(new DateOnly(2026, 10, 1));
        saved.CrimeTypes.ShouldBe([CrimeType.IllegalFilming, CrimeType.DistributionWithoutConsent], ignoreOrder: true);
        saved.Victim.Nickname.ShouldBe("Sky");
        saved.Victim.PreferredLanguage.ShouldBe("en");
        saved.SafeContact.ShouldBe(new SafeContact(ContactChannel.Text, "010-1234-5678", null, new TimeOnly(18, 0), new TimeOnly(21, 0), false, "umbrella"));
        saved.Consents.Select(c => c.Track).ShouldBe([ServiceTrackKind.Investigation, ServiceTrackKind.Deletion], ignoreOrder: true);
        saved.Tracks.Count.ShouldBe(6);
        saved.ContentItems.Select(i => i.Url).ShouldBe(["https://video.example.com/watch/abc", "https://social.example.net/p/1"], ignoreOrder: true);
        saved.ContentItems.ShouldAllBe(i => i.FoundBy == ContentFinder.Victim && i.Status == ContentStatus.Found);
        saved.Timeline.ShouldContain(e => e.Kind == TimelineEventKind.CaseOpened);
        saved.Status.ShouldBe(CaseStatus.Triaged);
        saved.Priority.ShouldBe(CasePriority.Normal);
    }

    [Fact]
    public async Task Submitting_the_same_form_twice_makes_one_case_and_shows_the_same_code()
    {
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        var before = await portal.WithDbAsync(db => db.Cases.CountAsync());

        // A double click: the same form sent twice at once, then once more as a retry.
        var both = await Task.WhenAll(SendCopyAsync(review), SendCopyAsync(review));
        var retry = await ReportJourney.SendAsync(browser, review);

        (await portal.WithDbAsync(db => db.Cases.CountAsync())).ShouldBe(before + 1);
        var references = both.Append(retry).Select(d => d.QuerySelector("#case-reference")!.TextContent).Distinct().ToList();
        references.Count.ShouldBe(1);
        both.Append(retry).Select(d => d.QuerySelector("#access-code")!.TextContent).Distinct().Count().ShouldBe(1);

        async Task<AngleSharp.Html.Dom.IHtmlDocument> SendCopyAsync(AngleSharp.Html.Dom.IHtmlDocument page)
        {
            var copy = new PortalBrowser(browser.Client, "en"); // shares the client (and its cookies); not disposed here
            return await ReportJourney.SendAsync(copy, page);
        }
    }

    [Fact]
    public async Task The_case_row_holds_nothing_from_which_the_shown_code_can_be_made_again()
    {
        // Arrange: the code is derived from the form's intake key, so the row must not keep that key in any form.
        using var browser = portal.Browser("en");
        var review = await ReportJourney.ReviewAsync(browser);
        var intakeKey = Guid.Parse(((IHtmlInputElement)review.QuerySelector("[name='Input.IntakeKey']")!).Value);

        // Act
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert
        var code = done.QuerySelector("#access-code")!.TextContent.Trim();
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        AccessCode.Format(TestSecrets.Fingerprints.IntakeAccessCode(intakeKey)).ShouldBe(code, "the code comes from the intake key");
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT row_to_json(c)::text FROM "Cases" c WHERE c."Reference" = @reference""", connection);
        command.Parameters.AddWithValue("reference", reference);
        var row = ((string)(await command.ExecuteScalarAsync())!).ToUpperInvariant();
        row.ShouldContain("INTAKEFINGERPRINT");
        row.ShouldNotContain(intakeKey.ToString().ToUpperInvariant());
        row.ShouldNotContain(intakeKey.ToString("N").ToUpperInvariant()); // the key as PostgreSQL stores a uuid
        row.ShouldNotContain(Convert.ToHexString(intakeKey.ToByteArray())); // the key as .NET writes its bytes
        // No uuid or byte string in the row gives the code back, whatever it is called.
        foreach (Match value in Regex.Matches(row, "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"))
        {
            AccessCode.Format(TestSecrets.Fingerprints.IntakeAccessCode(Guid.Parse(value.Value))).ShouldNotBe(code);
        }
        var byteStrings = Regex.Matches(row, @"\\X([0-9A-F]{32,})");
        byteStrings.Count.ShouldBeGreaterThanOrEqualTo(2, "the access code hash and the intake fingerprint");
        foreach (Match value in byteStrings)
        {
            var bytes = Convert.FromHexString(value.Groups[1].Value[..32]);
            AccessCode.Format(TestSecrets.Fingerprints.IntakeAccessCode(new Guid(bytes))).ShouldNotBe(code);
            AccessCode.Format(TestSecrets.Fingerprints.IntakeAccessCode(new Guid(bytes, bigEndian: true))).ShouldNotBe(code);
        }
    }

    [Fact]
    public async Task The_narrative_and_contact_details_are_not_readable_in_the_raw_tables()
    {
        using var browser = portal.Browser("en");
        var (reference, _) = await ReportJourney.FileAsync(browser);

        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT n."Text", c."ContactPhone", c."ContactSafeWord", v."Nickname"
            FROM "Cases" c JOIN "Narratives" n ON n."CaseId" = c."Id" JOIN "Victims" v ON v."Id" = c."VictimId"
            WHERE c."Reference" = @reference
            """, connection);
        command.Parameters.AddWithValue("reference", reference);
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).ShouldBeTrue();
        for (var column = 0; column < 4; column++)
        {
            var raw = System.Text.Encoding.UTF8.GetString((byte[])reader.GetValue(column));
            raw.ShouldNotContain("filmed");
            raw.ShouldNotContain("010-1234");
            raw.ShouldNotContain("umbrella");
            raw.ShouldNotContain("Sky");
        }
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public async Task Self_harm_a_minor_ongoing_threats_or_a_known_address_make_the_case_an_emergency(bool selfHarm, bool minor, bool threats, bool address)
    {
        using var browser = portal.Browser("en");

        var (reference, _) = await ReportJourney.FileAsync(browser, selfHarm: selfHarm, minor: minor, threats: threats, address: address);

        var saved = await portal.WithDbAsync(db => db.Cases.Include(c => c.ContentItems).SingleAsync(c => c.Reference == reference));
        saved.Priority.ShouldBe(CasePriority.Emergency);
        saved.IsMinor.ShouldBe(minor);
        saved.ContentItems.ShouldAllBe(i => i.IsMinor == minor);
    }

    [Fact]
    public async Task A_self_harm_answer_shows_crisis_lines_on_the_very_next_page()
    {
        using var browser = portal.Browser("en");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        var next = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety(selfHarm: true));

        next.QuerySelector(".crisis")!.TextContent.ShouldContain("109");
    }

    [Fact]
    public async Task Without_self_harm_no_crisis_box_interrupts()
    {
        using var browser = portal.Browser("en");
        var page = await ReportJourney.NextAsync(browser, await browser.GetAsync("/report"), ReportJourney.WhatHappened());

        var next = await ReportJourney.NextAsync(browser, page, ReportJourney.Safety());

        next.QuerySelector("main .crisis").ShouldBeNull();
    }
}
