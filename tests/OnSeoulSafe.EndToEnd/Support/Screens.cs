using Microsoft.Playwright;

namespace OnSeoulSafe.EndToEnd.Support;

/// <summary>Saves what a page looks like under tests/OnSeoulSafe.EndToEnd/screenshots/ (git-ignored).</summary>
public static class Screens
{
    public static readonly string Folder = Path.Combine(ProjectFolder(), "screenshots");

    public static async Task SaveAsync(IPage page, string name, bool firstScreen = true)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        if (!firstScreen) return;
        // What shows first on the screen: small enough for the README (docs/screenshots/).
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + "-first-screen.png"), Animations = ScreenshotAnimations.Disabled });
    }

    /// <summary>The whole page only (the same screen at a second size).</summary>
    public static async Task SaveFullPageAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    private static string ProjectFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OnSeoulSafe.EndToEnd.csproj"))) return dir.FullName;
        }
        return AppContext.BaseDirectory;
    }
}
