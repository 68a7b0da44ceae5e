namespace OnSeoulSafe.Bench;

/// <summary>
/// The portal's working set from /proc: VmHWM is the kernel's own high-water mark of resident memory, VmRSS is
/// sampled twice a second as a cross-check.
/// </summary>
public sealed class MemorySampler(int pid) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampling;

    public long MaxSampledRssKb { get; private set; }

    public void Start() => _sampling = SampleAsync(_stop.Token);

    public long? PeakKb() => Read("VmHWM:");

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (Read("VmRSS:") is { } rss && rss > MaxSampledRssKb) MaxSampledRssKb = rss;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private long? Read(string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sampling is not null) await _sampling;
        _stop.Dispose();
    }
}
