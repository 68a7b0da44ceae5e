using System.Globalization;

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
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
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
