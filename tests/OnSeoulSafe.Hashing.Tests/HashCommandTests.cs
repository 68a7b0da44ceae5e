using OnSeoulSafe.Hashing.Cli;

namespace OnSeoulSafe.Hashing.Tests;

/// <summary>The command people use to check files by hand (<c>./build.sh hash</c>), through its entry method.</summary>
public sealed class HashCommandTests
{
    [Fact]
    public async Task PictureVideoAndBadFile_OneLineEach_AndStatus2()
    {
        var picture = Vectors.PathOf("images/dih__bridge-1-original.jpg");
        var video = Vectors.PathOf("video/test-padded-dimensions.mp4");
        var bad = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bad, [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var status = await HashCommand.RunAsync([picture, video, bad], output, error, CancellationToken.None);

            status.ShouldBe(HashCommand.Unreadable);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines[0].ShouldBe($"pdq f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22 100 {picture}");
            lines[1].ShouldStartWith("sha256 b5b0799616df52d475a3968dc7e54f1d0724c912244ffa6175bc786375dd7298 ");
            lines[2].ShouldBe($"vpdq 5 {video}");
            lines[3].ShouldStartWith("0,100,");
            lines[7].ShouldStartWith("120,");
            lines[8].ShouldStartWith("sha256 621553dfabd5774828d2e845e9b17081dadf9cb9965aa59eee8668369413062f ");
            lines[9].ShouldStartWith("sha256 ");
            lines[9].ShouldEndWith(bad);
            lines.Length.ShouldBe(10);
            error.ToString().ShouldContain(bad);
            error.ToString().ShouldContain("SHA-256");
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task MissingFile_Status2WithAMessage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var status = await HashCommand.RunAsync(["/nonexistent/file.jpg"], output, error, CancellationToken.None);

        status.ShouldBe(HashCommand.Unreadable);
        output.ToString().ShouldBeEmpty();
        error.ToString().ShouldContain("cannot be read");
    }

    [Fact]
    public async Task NoFiles_Usage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        (await HashCommand.RunAsync([], output, error, CancellationToken.None)).ShouldBe(HashCommand.Usage);
    }
}
