using System.Net;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>What strangers type can never lock a victim out, references cannot be walked through, and a typo is named.</summary>
public sealed class VictimAccessSafetyTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Wrong_codes_typed_by_others_never_block_the_right_code()
    {
        // Arrange: a stranger types six wrong codes for her reference.
        using var victim = portal.Browser("en");
        using var stranger = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(victim);
        for (var i = 0; i < 6; i++)
        {
            var refused = await ReportJourney.OpenStatusAsync(stranger, reference, $"ZZZZ-ZZZZ-ZZZZ-ZZZ{i}");
            refused.FieldErrors().Single().ShouldContain("do not belong together");
        }

        // Act
        var page = await ReportJourney.OpenStatusAsync(victim, reference, code);

        // Assert
        page.QuerySelector("#case-status").ShouldNotBeNull();
        page.QuerySelector("h1")!.TextContent.ShouldContain(reference);
    }

    [Fact]
    public async Task A_wrong_code_for_a_known_reference_writes_nothing_just_like_an_unknown_reference()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var (reference, _) = await ReportJourney.FileAsync(browser);
        var before = await RowVersionsAsync();

        // Act
        var wrong = await ReportJourney.OpenStatusAsync(browser, reference, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        var unknown = await ReportJourney.OpenStatusAsync(browser, CaseReference.New(), "ZZZZ-ZZZZ-ZZZZ-ZZZZ");

        // Assert: the same answer, and not one row changed or added anywhere.
        wrong.FieldErrors().ShouldBe(unknown.FieldErrors());
        (await RowVersionsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task New_references_are_random_not_sequential_and_carry_a_valid_check_character()
    {
        // Arrange
        using var browser = portal.Browser("en");

        // Act
        var first = (await ReportJourney.FileAsync(browser)).Reference;
        var second = (await ReportJourney.FileAsync(browser)).Reference;

        // Assert
        first.ShouldMatch("^SDS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$");
        second.ShouldMatch("^SDS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$");
        CaseReference.IsValid(first).ShouldBeTrue();
        CaseReference.IsValid(second).ShouldBeTrue();
        first.ShouldNotBe(second);
        // Neither the case number nor the order of filing can be read from the reference.
        var ids = await portal.WithDbAsync(db => db.Cases.Where(c => c.Reference == first || c.Reference == second).Select(c => c.Id).ToListAsync());
        ids.Count.ShouldBe(2);
        foreach (var id in ids)
        {
            first.ShouldNotContain(id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
            second.ShouldNotContain(id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
        }
        first[4..8].ShouldNotBe(second[4..8]);
    }

    [Fact]
    public async Task A_typo_in_the_reference_is_caught_by_its_check_character_with_a_clear_message()
    {
        // Arrange: one character of her reference mistyped, the code right.
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        var typo = reference[..5] + (reference[5] == 'A' ? 'B' : 'A') + reference[6..];

        // Act
        var page = await ReportJourney.OpenStatusAsync(browser, typo, code);
        using var koreanBrowser = portal.Browser("ko");
        var korean = await ReportJourney.OpenStatusAsync(koreanBrowser, typo, code);

        // Assert
        page.FieldErrors().Single().ShouldContain("typing mistake");
        page.QuerySelector("#Input_Reference")!.GetAttribute("value").ShouldBe(typo);
        korean.FieldErrors().Single().ShouldContain("잘못 입력된 글자");
    }

    [Fact]
    public async Task A_reference_of_the_earlier_format_still_opens_its_case()
    {
        // Arrange: a case filed before references were random.
        var now = portal.Clock.GetUtcNow();
        var legacy = await portal.WithDbAsync(async db =>
        {
            var number = await db.NextCaseNumberAsync(CancellationToken.None);
            var reference = CaseReference.Legacy(2026, number);
            var @case = Case.Open(number, reference, Guid.NewGuid().ToByteArray(), new Victim(null, "en"), [CrimeType.IllegalFilming], "earlier report", null,
                new RiskScreening(false, false, false, false), SafeContact.PortalOnly, TestSecrets.Fingerprints.AccessCode(reference, "ABCDEFGHJKMNPQRS"), now);
            db.Cases.Add(@case);
            await db.SaveChangesAsync();
            return reference;
        });
        using var browser = portal.Browser("en");

        // Act
        var page = await ReportJourney.OpenStatusAsync(browser, legacy.ToLowerInvariant(), "ABCD-EFGH-JKMN-PQRS");

        // Assert
        page.QuerySelector("h1")!.TextContent.ShouldContain(legacy);
    }

    /// <summary>Every row of the tables a code check could touch, with its PostgreSQL row version.</summary>
    private Task<List<string>> RowVersionsAsync() =>
        portal.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            """
            SELECT 'c' || "Id" || ':' || xmin::text AS "Value" FROM "Cases"
            UNION ALL SELECT 'l' || count(*) FROM "AccessLog"
            UNION ALL SELECT 'r' || count(*) FROM "CodeRecoveries"
            ORDER BY 1
            """).ToListAsync());
}

/// <summary>The limits answer with the portal's own page, never a bare 429.</summary>
public sealed class AccessCodeLimitPageTests(AccessCodeLimitPageTests.StrictPortal portal) : IClassFixture<AccessCodeLimitPageTests.StrictPortal>
{
    [Fact]
    public async Task Past_the_per_client_limit_the_answer_is_the_portals_page_saying_what_happened_and_what_to_do()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        // Arrange
        using var browser = portal.Browser("en");
        var page = await browser.GetAsync("/status");
        for (var i = 0; i < 2; i++)
        {
            await browser.SubmitAsync(page, [new("Input.Reference", CaseReference.New()), new("Input.Code", "AAAA-AAAA-AAAA-AAAA")]);
        }

        // Act
        var refused = await browser.SubmitAsync(page, [new("Input.Reference", CaseReference.New()), new("Input.Code", "AAAA-AAAA-AAAA-AAAA")]);

        // Assert
        browser.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        browser.LastResponse!.Headers.RetryAfter.ShouldNotBeNull();
        refused.QuerySelector("h1")!.TextContent.ShouldBe("Too many tries in a short time");
        refused.Text().ShouldContain("wait one minute");
        refused.Text().ShouldContain("your right code will still work");
        refused.QuerySelector("#quick-exit").ShouldNotBeNull();
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:AccessCodePerMinute"] = "2",
        };
    }
}

/// <summary>The limit for the whole portal also answers with the page, and only access-code posts count towards it.</summary>
public sealed class AccessCodeGlobalLimitTests(AccessCodeGlobalLimitTests.StrictPortal portal) : IClassFixture<AccessCodeGlobalLimitTests.StrictPortal>
{
    [Fact]
    public async Task Past_the_portal_wide_limit_guesses_from_any_client_get_the_limit_page()
    {
        LimitWindow.Start(portal.Clock); // every attempt in one counting window
        // Arrange: two clients share the portal-wide budget of two checks.
        using var first = portal.Browser("en");
        using var second = portal.Browser("en");
        await ReportJourney.OpenStatusAsync(first, CaseReference.New(), "AAAA-AAAA-AAAA-AAAA");
        await ReportJourney.OpenStatusAsync(second, CaseReference.New(), "AAAA-AAAA-AAAA-AAAA");

        // Act
        var refused = await ReportJourney.OpenStatusAsync(second, CaseReference.New(), "AAAA-AAAA-AAAA-AAAA");

        // Assert
        second.LastStatus.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.QuerySelector("h1")!.TextContent.ShouldBe("Too many tries in a short time");
        (await second.GetAsync("/report")).QuerySelector("form").ShouldNotBeNull(); // other pages are not counted
    }

    public sealed class StrictPortal : PortalFactory
    {
        protected override IDictionary<string, string?> ExtraConfiguration => new Dictionary<string, string?>
        {
            ["Portal:RateLimits:AccessCodeGlobalPerMinute"] = "2",
        };
    }
}
