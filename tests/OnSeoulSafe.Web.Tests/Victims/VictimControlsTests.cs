using Microsoft.EntityFrameworkCore;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

public sealed class VictimControlsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(PortalBrowser Browser, string Reference)> SignedInAsync()
    {
        var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);
        return (browser, reference);
    }

    private Task<Case> LoadAsync(string reference) =>
        portal.WithDbAsync(db => db.Cases.Include(c => c.Narrative).Include(c => c.Amendments).Include(c => c.Consents)
            .Include(c => c.ContentItems).Include(c => c.Messages).AsSplitQuery().SingleAsync(c => c.Reference == reference));

    [Fact]
    public async Task An_addition_is_appended_and_dated_and_never_overwrites_the_narrative()
    {
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        await browser.SubmitAsync(await browser.GetAsync("/status/amend"), [new("Addition", "He contacted me again yesterday.")]);
        await browser.SubmitAsync(await browser.GetAsync("/status/amend"), [new("Addition", "I found another copy.")]);

        var saved = await LoadAsync(reference);
        saved.Narrative.Text.ShouldBe(ReportJourney.Narrative);
        saved.Amendments.OrderBy(a => a.AddedAt).Select(a => a.Text).ShouldBe(["He contacted me again yesterday.", "I found another copy."]);
    }

    [Fact]
    public async Task Added_links_are_merged_with_the_ones_already_given()
    {
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        var page = await browser.SubmitAsync(await browser.GetAsync("/status/links"),
            [new("Links", "HTTPS://VIDEO.example.com/watch/abc/\nhttps://third.example.org/x")]);

        page.Text().ShouldContain("1 new link(s) added");
        (await LoadAsync(reference)).ContentItems.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Consent_can_be_withdrawn_and_given_with_both_times_kept()
    {
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        await browser.SubmitAsync(await browser.GetAsync("/status/consents"), [new("Tracks", "Deletion"), new("Tracks", "Legal")]);

        var saved = await LoadAsync(reference);
        saved.HasConsent(ServiceTrackKind.Investigation).ShouldBeFalse();
        saved.Consents.Single(c => c.Track == ServiceTrackKind.Investigation).WithdrawnAt.ShouldNotBeNull();
        saved.HasConsent(ServiceTrackKind.Legal).ShouldBeTrue();
        saved.HasConsent(ServiceTrackKind.Deletion).ShouldBeTrue();
    }

    [Fact]
    public async Task Contact_preferences_change_and_bad_input_is_explained()
    {
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        var refused = await browser.SubmitAsync(await browser.GetAsync("/status/contact"), [new("Input.Channel", "Email"), new("Input.Email", "")]);
        refused.QuerySelector("[data-valmsg-for='Input.Email']")!.TextContent.ShouldContain("e-mail address");
        await browser.SubmitAsync(refused, [new("Input.Channel", "Email"), new("Input.Email", "me@mail.example")]);

        var saved = await LoadAsync(reference);
        saved.SafeContact.Channel.ShouldBe(ContactChannel.Email);
        saved.SafeContact.Email.ShouldBe("me@mail.example");
    }

    [Fact]
    public async Task A_message_reaches_the_case_and_shows_in_the_conversation()
    {
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        var page = await browser.SubmitAsync(await browser.GetAsync("/status/case"), [new("NewMessage", "Can we talk tomorrow evening?")], formSelector: "form[action*='handler=Message']");

        page.QuerySelector("#messages")!.TextContent.ShouldContain("Can we talk tomorrow evening?");
        (await LoadAsync(reference)).Messages.Single().Sender.ShouldBe(MessageSender.Victim);
    }

    [Fact]
    public async Task Withdrawing_needs_confirmation_then_closes_the_case_and_erasure_is_recorded()
    {
        var (browser, reference) = await SignedInAsync();
        using var _ = browser;

        var unconfirmed = await browser.SubmitAsync(await browser.GetAsync("/status/withdraw"), [], formSelector: "form[action*='handler=Withdraw']");
        unconfirmed.FieldErrors().ShouldContain("Tick the box to confirm.");
        await browser.SubmitAsync(await browser.GetAsync("/status/withdraw"), [new("Confirm", "true")], formSelector: "form[action*='handler=Withdraw']");
        var erase = await browser.SubmitAsync(await browser.GetAsync("/status/withdraw"), [new("ConfirmErasure", "true")], formSelector: "form[action*='handler=Erase']");

        (await LoadAsync(reference)).Status.ShouldBe(CaseStatus.Withdrawn);
        erase.Text().ShouldContain("We received your request to destroy your personal data.");
        (await portal.WithDbAsync(db => db.ErasureRequests.CountAsync(e => db.Cases.Any(c => c.Id == e.CaseId && c.Reference == reference)))).ShouldBe(1);
    }

    [Fact]
    public async Task A_yes_or_no_box_posted_with_another_value_is_explained_in_korean_and_changes_nothing()
    {
        using var browser = portal.Browser("ko");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        await ReportJourney.OpenStatusAsync(browser, reference, code);

        var page = await browser.SubmitAsync(await browser.GetAsync("/status/withdraw"), [new("Confirm", "perhaps")], formSelector: "form[action*='handler=Withdraw']");

        page.QuerySelector("[data-valmsg-for='Confirm']")!.TextContent.ShouldContain("예 또는 아니요를 골라 주세요.");
        page.Text().ShouldNotContain("Choose yes or no.");
        (await LoadAsync(reference)).Status.ShouldNotBe(CaseStatus.Withdrawn);
    }
}
