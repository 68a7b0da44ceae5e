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
}
