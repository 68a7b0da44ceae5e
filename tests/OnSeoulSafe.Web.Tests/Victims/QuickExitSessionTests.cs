using System.Net;
using OnSeoulSafe.Web.Tests.Support;

namespace OnSeoulSafe.Web.Tests.Victims;

/// <summary>The quick exit ends the status session on the server, not only in the browser that pressed it.</summary>
public sealed class QuickExitSessionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task The_exit_ends_the_session_for_every_copy_of_its_cookie_and_leaves_for_the_neutral_site()
    {
        // Arrange: she opens her case; a copy of the session cookie is kept aside (a second tab, a copied cookie).
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        var form = await browser.GetAsync("/status");
        var token = form.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        using var signIn = await browser.Client.PostAsync("/status", new FormUrlEncodedContent(
            [new("__af", token), new("Input.Reference", reference), new("Input.Code", code)]));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("oss.v=", StringComparison.Ordinal)).Split(';')[0];
        using var copy = portal.Server.CreateClient();
        async Task<HttpResponseMessage> CaseWithCopyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/status/case");
            request.Headers.Add("Cookie", cookie);
            return await copy.SendAsync(request);
        }
        (await CaseWithCopyAsync()).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Act
        var exit = await browser.GetRawAsync("/exit");

        // Assert
        exit.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        exit.Headers.Location!.IsAbsoluteUri.ShouldBeTrue();
        exit.Headers.Location.Host.ShouldNotBe("localhost");
        var afterwards = await browser.GetRawAsync("/status/case");
        afterwards.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        afterwards.Headers.Location!.AbsolutePath.ShouldBe("/status");
        var copied = await CaseWithCopyAsync();
        copied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await copied.Content.ReadAsStringAsync()).ShouldNotContain(reference);
        // The code still opens the case again afterwards.
        (await ReportJourney.OpenStatusAsync(browser, reference, code)).QuerySelector("#case-status").ShouldNotBeNull();
    }

    [Fact]
    public async Task Leaving_the_case_page_ends_the_session_for_every_copy_of_its_cookie()
    {
        // Arrange
        using var browser = portal.Browser("en");
        var (reference, code) = await ReportJourney.FileAsync(browser);
        var form = await browser.GetAsync("/status");
        var token = form.QuerySelector("input[name=__af]")!.GetAttribute("value")!;
        using var signIn = await browser.Client.PostAsync("/status", new FormUrlEncodedContent(
            [new("__af", token), new("Input.Reference", reference), new("Input.Code", code)]));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("oss.v=", StringComparison.Ordinal)).Split(';')[0];
        using var copy = portal.Server.CreateClient();
        async Task<HttpResponseMessage> CaseWithCopyAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/status/case");
            request.Headers.Add("Cookie", cookie);
            return await copy.SendAsync(request);
        }
        var casePage = await browser.GetAsync("/status/case");
        (await CaseWithCopyAsync()).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Act
        await browser.SubmitAsync(casePage, [], formSelector: "form[action*='Leave']");

        // Assert
        (await browser.GetRawAsync("/status/case")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var copied = await CaseWithCopyAsync();
        copied.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await copied.Content.ReadAsStringAsync()).ShouldNotContain(reference);
    }

    [Fact]
    public async Task The_exit_without_a_session_just_leaves()
    {
        using var browser = portal.Browser("en");

        var exit = await browser.GetRawAsync("/exit");

        exit.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        exit.Headers.Location!.IsAbsoluteUri.ShouldBeTrue();
    }

    [Fact]
    public async Task The_exit_button_is_a_plain_link_to_the_exit_that_knows_the_neutral_site()
    {
        using var browser = portal.Browser("en");

        var page = await browser.GetAsync("/report");

        var link = page.QuerySelector("#quick-exit")!;
        link.GetAttribute("href").ShouldBe("/exit");
        link.GetAttribute("data-neutral").ShouldStartWith("https://");
    }
}
