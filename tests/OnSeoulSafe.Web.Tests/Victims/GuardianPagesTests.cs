using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Companions;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>
/// A minor's guardians through the pages, as a browser drives them: the web report, the staff intake, /status, the
/// case file, and the center's practice for minors that managers keep.
/// </summary>
public sealed class GuardianPagesTests(PortalFactory portal) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private const string MotherPhone = "010-2222-3333";
    private const string FatherPhone = "010-9999-0000";

    public Task InitializeAsync() => portal.SeedDemoAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Her mother named safe with a number; her father said to be unsafe, with a number sent anyway (a hand-made post).</summary>
    private static KeyValuePair<string, string>[] MotherSafeFatherUnsafe() =>
    [
        new("Input.Guardians[0].Relation", "Mother"),
        new("Input.Guardians[0].Choice", "Safe"),
        new("Input.Guardians[0].Contact", MotherPhone),
        new("Input.Guardians[1].Relation", "Father"),
        new("Input.Guardians[1].Choice", "Unsafe"),
        new("Input.Guardians[1].Contact", FatherPhone),
    ];

    private Task<Case> LoadAsync(string reference) =>
        portal.WithDbAsync(db => db.Cases.Include(c => c.Guardians).Include(c => c.Timeline).AsSplitQuery().SingleAsync(c => c.Reference == reference));

    private static async Task<IHtmlDocument> ContactStepAsync(PortalBrowser browser, bool minor)
    {
        var page = await browser.GetAsync("/report");
        page = await ReportJourney.NextAsync(browser, page, ReportJourney.WhatHappened());
        return await ReportJourney.NextAsync(browser, page, ReportJourney.Safety(minor: minor));
    }

    [Fact]
    public async Task The_report_asks_a_minor_about_guardians_and_an_adult_not()
    {
        // Arrange
        using var minor = portal.Browser("en");
        using var adult = portal.Browser("en");

        // Act
        var minorStep = await ContactStepAsync(minor, minor: true);
        var adultStep = await ContactStepAsync(adult, minor: false);

        // Assert
        minorStep.QuerySelectorAll("fieldset.guardian").Length.ShouldBe(Enum.GetValues<GuardianRelation>().Length);
        minorStep.QuerySelector("input[name='Input.Guardians[0].Choice'][value='Unsaid']")!.HasAttribute("checked").ShouldBeTrue();
        adultStep.QuerySelector("fieldset.guardian").ShouldBeNull();
    }

    [Fact]
    public async Task An_unsafe_guardian_named_at_intake_keeps_no_contact_and_the_domain_refuses_to_give_one()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var step = await ContactStepAsync(browser, minor: true);

        // Act
        var review = await ReportJourney.NextAsync(browser, step, [.. ReportJourney.Contact(), .. MotherSafeFatherUnsafe()]);
        var done = await ReportJourney.SendAsync(browser, review);

        // Assert
        review.QuerySelector("#review-guardians")!.TextContent.ShouldContain("never contact");
        review.DocumentElement.OuterHtml.ShouldNotContain(FatherPhone);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var saved = await LoadAsync(reference);
        var father = saved.Guardians.Single(g => g.Relation == GuardianRelation.Father);
        father.MarkedUnsafe.ShouldBeTrue();
        father.Contact.ShouldBeNull();
        Should.Throw<DomainRuleException>(() => saved.EnsureMayContactGuardian(GuardianRelation.Father)).Rule.ShouldBe("guardian.unsafe");
        saved.EnsureMayContactGuardian(GuardianRelation.Mother).ShouldBe(MotherPhone);
        saved.Timeline.Select(e => e.Detail).ShouldContain("GuardianUnsafe:Father");
        saved.Timeline.Select(e => e.Detail).ShouldContain("GuardianSafe:Mother");
        var stored = await portal.WithDbAsync(db => db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM \"Guardians\" WHERE \"CaseId\" = {0} AND \"Contact\" IS NOT NULL", saved.Id).SingleAsync());
        stored.ShouldBe(1);
    }

    [Fact]
    public async Task A_guardian_named_safe_without_a_contact_is_asked_for_one_and_nothing_typed_is_lost()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var step = await ContactStepAsync(browser, minor: true);

        // Act
        var again = await ReportJourney.NextAsync(browser, step,
        [
            .. ReportJourney.Contact(),
            new("Input.Guardians[2].Choice", "Safe"),
            new("Input.Guardians[2].Contact", ""),
            new("Input.Guardians[1].Choice", "Unsafe"),
        ]);

        // Assert: still the contact step, with the message beside the grandparent and every answer as typed.
        again.QuerySelector("#error-summary")!.TextContent.ShouldContain("phone number or e-mail address for this guardian");
        again.QuerySelector("input[name='Input.Guardians[2].Choice'][value='Safe']")!.HasAttribute("checked").ShouldBeTrue();
        again.QuerySelector("input[name='Input.Guardians[1].Choice'][value='Unsafe']")!.HasAttribute("checked").ShouldBeTrue();
        ((IHtmlInputElement)again.QuerySelector("#Input_Phone")!).Value.ShouldBe("010-1234-5678");
        ((IHtmlInputElement)again.QuerySelector("input[name='Input.Narrative']")!).Value.ShouldBe(ReportJourney.Narrative);
    }

    [Fact]
    public async Task On_status_she_marks_a_safe_guardian_unsafe_and_names_another_and_sees_relations_only()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var step = await ContactStepAsync(browser, minor: true);
        var review = await ReportJourney.NextAsync(browser, step, [.. ReportJourney.Contact(), .. MotherSafeFatherUnsafe()]);
        var done = await ReportJourney.SendAsync(browser, review);
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        await ReportJourney.OpenStatusAsync(browser, reference, done.QuerySelector("#access-code")!.TextContent.Trim());
        var page = await browser.GetAsync("/status/guardians");
        page.QuerySelector("#guardians-named")!.TextContent.ShouldContain("Mother");
        page.DocumentElement.OuterHtml.ShouldNotContain(MotherPhone);

        // Act
        var marked = await browser.SubmitAsync(page, [], formSelector: "#guardians-named li[data-relation='Mother'] form");
        var named = await browser.SubmitAsync(marked,
            [new("Guardians[2].Choice", "Safe"), new("Guardians[2].Contact", "grandma@example.org")],
            formSelector: "form[action*='handler=Name']");

        // Assert
        marked.QuerySelector("#guardians-notice")!.TextContent.ShouldContain("never contact");
        marked.QuerySelector("#guardians-named li[data-relation='Mother'] form").ShouldBeNull();
        named.QuerySelector("#guardians-named li[data-relation='Grandparent']").ShouldNotBeNull();
        var saved = await LoadAsync(reference);
        var mother = saved.Guardians.Single(g => g.Relation == GuardianRelation.Mother);
        mother.Contact.ShouldBeNull();
        mother.MarkedUnsafe.ShouldBeTrue();
        Should.Throw<DomainRuleException>(() => saved.EnsureMayContactGuardian(GuardianRelation.Mother)).Rule.ShouldBe("guardian.unsafe");
        saved.EnsureMayContactGuardian(GuardianRelation.Grandparent).ShouldBe("grandma@example.org");
        (await portal.AccessLogAsync(reference)).ShouldContain(r => r.What == "Status/Guardians" && r.Action == AccessAction.Edit);
    }

    [Fact]
    public async Task A_companion_taking_a_minors_report_by_phone_records_an_unsafe_guardian_without_a_contact_and_the_file_shows_it()
    {
        // Arrange
        using var browser = await portal.SignInAsync(CompanionWorld.Companion);
        var form = await browser.GetAsync("/intake/new");

        // Act
        var done = await browser.SubmitAsync(form,
        [
            new("Input.CrimeTypes", "ThreatToDistribute"),
            new("Input.Narrative", "The caller is fifteen; a classmate threatens to post a video."),
            new("Input.SelfHarmThoughts", "false"),
            new("Input.OngoingThreats", "true"),
            new("Input.OffenderKnowsAddress", "false"),
            new("Input.UnderNineteen", "true"),
            new("Input.Channel", "PortalOnly"),
            new("Taking.Channel", "Phone"),
            new("Taking.Handover", "OnScreen"),
            new("Taking.KeepCase", "true"),
            .. MotherSafeFatherUnsafe(),
        ], formSelector: "#staff-intake-form");
        var reference = done.QuerySelector("#case-reference")!.TextContent.Trim();
        var file = await browser.GetAsync(CompanionWorld.FileUrl(reference));

        // Assert
        var saved = await LoadAsync(reference);
        saved.Guardians.Single(g => g.Relation == GuardianRelation.Father).Contact.ShouldBeNull();
        Should.Throw<DomainRuleException>(() => saved.EnsureMayContactGuardian(GuardianRelation.Father));
        var panel = file.QuerySelector("#case-guardians")!;
        panel.QuerySelector("dd[data-relation='Father'] .guardian-never").ShouldNotBeNull();
        panel.QuerySelector("dd[data-relation='Mother'] .guardian-contact-value")!.TextContent.ShouldBe(MotherPhone);
        panel.TextContent.ShouldNotContain(FatherPhone);
        file.QuerySelectorAll("#minors-practice tbody tr").Length.ShouldBe(Enum.GetValues<MinorDecision>().Length);
        file.QuerySelectorAll(".guardian-event").Length.ShouldBe(2);
    }

    [Fact]
    public async Task A_manager_changes_the_practice_for_minors_and_the_change_is_in_the_access_log()
    {
        // Arrange
        using var manager = await portal.SignInAsync(CompanionWorld.Manager);
        var managerId = await portal.StaffIdAsync(CompanionWorld.Manager);
        var form = await manager.GetAsync("/admin/minors-practice");
        var row = form.QuerySelectorAll("#practice-form fieldset").Select(f => f.Id).ToList().IndexOf("practice-DisclosureToSchool");
        row.ShouldBeGreaterThanOrEqualTo(0);

        // Act: first an age no minor has (refused, nothing saved), then a rule that holds.
        var refused = await manager.SubmitAsync(form,
            [new($"Rows[{row}].DecidedBy", "MinorWithGuardianConsent"), new($"Rows[{row}].AloneFromAge", "30")], formSelector: "#practice-form");
        var saved = await manager.SubmitAsync(refused,
            [new($"Rows[{row}].DecidedBy", "MinorWithGuardianConsent"), new($"Rows[{row}].AloneFromAge", "14"), new($"Rows[{row}].Note", "Ask her first.")],
            formSelector: "#practice-form");

        // Assert
        refused.QuerySelector("#error-summary")!.TextContent.ShouldContain("between 1 and 18");
        ((IHtmlInputElement)refused.QuerySelector($"#Rows_{row}__AloneFromAge")!).Value.ShouldBe("30");
        saved.QuerySelector("#practice-saved").ShouldNotBeNull();
        var rule = await portal.WithDbAsync(db => db.MinorsPractice.SingleAsync(p => p.Decision == MinorDecision.DisclosureToSchool));
        rule.DecidedBy.ShouldBe(MinorDecider.MinorWithGuardianConsent);
        rule.AloneFromAge.ShouldBe(14);
        rule.Note.ShouldBe("Ask her first.");
        rule.ChangedByStaffId.ShouldBe(managerId);
        var logged = await portal.WithDbAsync(db => db.AccessLog.Where(e => e.Action == AccessAction.MinorsPracticeChanged).ToListAsync());
        var entry = logged.ShouldHaveSingleItem();
        entry.StaffId.ShouldBe(managerId);
        entry.What.ShouldBe("/Admin/MinorsPractice#DisclosureToSchool:MinorAlone>MinorWithGuardianConsent/14");
        entry.Reason!.ShouldEndWith("→ Ask her first.");
    }

    [Fact]
    public async Task A_companion_and_an_account_administrator_cannot_reach_the_practice_for_minors()
    {
        // Arrange
        using var companion = await portal.SignInAsync(CompanionWorld.Companion);
        using var admin = await portal.SignInAsync(CompanionWorld.Admin);

        // Act
        var byCompanion = await companion.GetRawAsync("/admin/minors-practice");
        var byAdmin = await admin.GetRawAsync("/admin/minors-practice");
        var post = await companion.PostAsync("/admin/minors-practice", [new("Rows[0].Decision", "Counselling"), new("Rows[0].DecidedBy", "MinorAlone")]);

        // Assert
        byCompanion.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        byAdmin.Headers.Location!.OriginalString.ShouldContain("/account/denied");
        (await portal.WithDbAsync(db => db.MinorsPractice.SingleAsync(p => p.Decision == MinorDecision.Counselling))).DecidedBy
            .ShouldBe(MinorDecider.MinorWithGuardianConsent);
        post.QuerySelector("#practice-form").ShouldBeNull();
    }
}
