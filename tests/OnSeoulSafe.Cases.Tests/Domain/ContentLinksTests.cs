using OnSeoulSafe.Cases.Deletion;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class ContentLinksTests
{
    [Theory]
    [InlineData("HTTPS://Video.Example.com/watch/abc/", "https://video.example.com/watch/abc")]
    [InlineData("https://video.example.com:443/watch/abc#t=10", "https://video.example.com/watch/abc")]
    [InlineData("https://video.example.com/w?id=1&utm_source=x", "https://video.example.com/w?id=1")]
    [InlineData("  http://example.org  ", "http://example.org")]
    [InlineData("t.me/somechannel/123", "https://t.me/somechannel/123")]
    [InlineData("www.Example.com/x/", "https://www.example.com/x")]
    [InlineData("video.example.com:8443/w?id=1", "https://video.example.com:8443/w?id=1")]
    [InlineData("//social.example.net/p/1", "https://social.example.net/p/1")]
    [InlineData("http://[2001:DB8::1]/x", "http://[2001:db8::1]/x")]
    [InlineData("https://[2001:db8::1]:8443/x/", "https://[2001:db8::1]:8443/x")]
    public void Normalise_MakesTheSameLinkEqual(string input, string expected)
    {
        ContentLinks.Normalise(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/file")]
    [InlineData("not a link")]
    [InlineData("https://user:pw@example.org/")]
    [InlineData("https://example.org/\u0007")]
    [InlineData("")]
    [InlineData("mailto:someone@example.org")]
    [InlineData("someone@example.org")]
    [InlineData("localhost/x")]
    [InlineData("example. org/x")]
    public void Normalise_RefusesAnythingButHttpLinks(string input)
    {
        ContentLinks.Normalise(input).ShouldBeNull();
    }

    [Fact]
    public void An_IPv6_link_normalises_to_an_address_that_parses_again()
    {
        var normalised = ContentLinks.Normalise("http://[2001:db8::1]/x")!;

        Uri.TryCreate(normalised, UriKind.Absolute, out _).ShouldBeTrue();
        ContentLinks.Host(normalised).ShouldBe("[2001:db8::1]");
    }

    [Theory]
    [InlineData("http://127.0.0.1/admin", false)]
    [InlineData("http://[::1]/x", false)]
    [InlineData("http://169.254.169.254/latest/meta-data", false)]
    [InlineData("http://10.1.2.3/x", false)]
    [InlineData("http://192.168.0.1/", false)]
    [InlineData("http://2130706433/", false)]
    [InlineData("http://localhost:5000/x", false)]
    [InlineData("http://metadata.google.internal/x", false)]
    [InlineData("http://printer.local/x", false)]
    [InlineData("https://video.example.com/watch/abc", true)]
    [InlineData("https://93.184.216.34/x", true)]
    public void Only_links_to_public_addresses_may_be_opened_by_staff(string link, bool mayOpen)
    {
        ContentLinks.MayOpen(link).ShouldBe(mayOpen);
    }
}
