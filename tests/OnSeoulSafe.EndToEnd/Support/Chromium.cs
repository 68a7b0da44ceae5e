using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>
/// The system Chromium (Debian package <c>chromium</c>): Playwright's own browser download cannot work here.
/// Missing Chromium fails the run with the command that installs it; it never skips.
/// </summary>
public static class Chromium
{
    public const string InstallHint = "apt-get install -y chromium fonts-noto-cjk";

    public static string ExecutablePath()
    {
        string[] candidates = [Environment.GetEnvironmentVariable("ONSEOULSAFE_CHROMIUM") ?? "", "/usr/bin/chromium", "/usr/bin/chromium-browser"];
        return candidates.FirstOrDefault(p => p.Length > 0 && File.Exists(p))
            ?? throw new InvalidOperationException(
                $"The browser tests need Chromium, which was not found at /usr/bin/chromium. Install it with: {InstallHint} (as root, or with sudo).");
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }
}
