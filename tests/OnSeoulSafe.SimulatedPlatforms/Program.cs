using System.Globalization;
using System.Runtime.InteropServices;
using OnSeoulSafe.Hashing;

namespace OnSeoulSafe.SimulatedPlatforms;

/// <summary>
/// ./build.sh run starts the demo boards beside the portal: loopback only, fixed ports so the portal's demo data can
/// name them. Stops on Ctrl+C or when its parent stops it.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var firstPort = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5091;
        var inboxPort = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2525;
        var smsPort = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5099;
        await using var platforms = await PlatformSimulation.StartAsync(SimulatedPlatformsSettings.Demo(firstPort, inboxPort));
        await using var sms = await SmsSink.StartAsync(smsPort);
        foreach (var board in platforms.Boards)
        {
            Console.WriteLine($"simulated board {board.Settings.Name}: {board.BaseUrl}/ (notices: {board.Settings.Notices})");
        }
        Console.WriteLine($"simulated inbox: smtp://127.0.0.1:{platforms.Inbox.Port}");
        Console.WriteLine($"simulated SMS gateway: {sms.Endpoint}");
        if (args.Length > 3)
        {
            WriteOriginals(platforms, args[3]);
        }
        using var stop = new CancellationTokenSource();
        // Ctrl+C and TERM end the wait and let the boards close; the runtime's own handling of TERM (exit from within
        // ProcessExit) would wait on this very continuation and never return.
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }
    }

    /// <summary>
    /// The pictures as "the victim" holds them, so a person trying the portal can report one at /report and watch
    /// monitoring find the boards' changed copies. Generated shapes only; those whose PDQ quality is too low to be
    /// matched (smooth gradients) are left out, as the portal would never match them.
    /// </summary>
    private static void WriteOriginals(PlatformSimulation platforms, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var board in platforms.Boards)
        {
            for (var i = 0; i < board.Settings.Posts; i++)
            {
                var picture = platforms.Picture(board.Settings.FirstPicture + i);
                if (!PdqImage.Hash(picture.Original).Pdq.IsReliable) continue;
                File.WriteAllBytes(Path.Combine(folder, $"{board.Settings.Name}-post-{i}.jpg"), picture.Original);
            }
        }
        Console.WriteLine($"original demo pictures: {folder}");
    }
}
