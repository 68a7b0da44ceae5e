using OnSeoulSafe.Cases.Deletion;

namespace OnSeoulSafe.Cases.Tests.Domain;

public sealed class ContentLinksTests
{
    [Theory]
    [InlineData("HTTPS://Video.Example.com/watch/abc/", "https://video.example.com/watch/abc")]
    [InlineData("https://video.example.com:443/watch/abc#t=10", "https://video.example.com/watch/abc")]
    [InlineData("https://video.example.com/w?id=1&utm_source=x", "https://video.example.com/w?id=1")]
    [InlineData("  http://example.org  ", "http://example.org")]
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
    public void Normalise_RefusesAnythingButHttpLinks(string input)
    {
        ContentLinks.Normalise(input).ShouldBeNull();
    }
}
