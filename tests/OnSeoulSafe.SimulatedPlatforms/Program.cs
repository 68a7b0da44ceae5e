using System.Globalization;
using System.Runtime.InteropServices;

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
        await using var platforms = await PlatformSimulation.StartAsync(SimulatedPlatformsSettings.Demo(firstPort, inboxPort));
        foreach (var board in platforms.Boards)
        {
            Console.WriteLine($"simulated board {board.Settings.Name}: {board.BaseUrl}/ (notices: {board.Settings.Notices})");
        }
        Console.WriteLine($"simulated inbox: smtp://127.0.0.1:{platforms.Inbox.Port}");
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
}
