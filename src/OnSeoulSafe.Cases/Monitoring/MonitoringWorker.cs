using Microsoft.Extensions.Logging;
using OnSeoulSafe.Cases.Deletion;
using OnSeoulSafe.Cases.Domain;

namespace OnSeoulSafe.Cases.Monitoring;

/// <summary>
/// Does one unit of work taken from the shared queue, whatever its kind: a page or a file for the crawl
/// (<see cref="MonitoringCrawl"/>), a link check for the re-check (<see cref="RecheckRunner"/>). It settles the lease
/// (done, retried later, parked with its reason) and tells <see cref="WorkCompletions"/>. One instance a unit of work
/// (its own scope and database context).
/// </summary>
public sealed class MonitoringWorker(WorkQueue queue, MonitoringCrawl crawl, RecheckRunner recheck, WorkCompletions completions, ILogger<MonitoringWorker> logger)
{
    public async Task<CrawlStep> RunAsync(LeasedWork work, CancellationToken cancellationToken)
    {
        CrawlStep step;
        try
        {
            step = work.Kind == MonitoringWorkKind.LinkCheck
                ? await recheck.CheckQueuedAsync(work, cancellationToken)
                : await crawl.DoAsync(work, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception type only: a message could carry an address.
            step = new CrawlStep(StepResult.Retry, "error-" + e.GetType().Name);
        }
        var settled = await SettleAsync(queue, work, step, cancellationToken);
        LogStep(logger, work, step, settled);
        completions.Publish(new WorkCompleted(work.Id, work.Kind, work.HostKey, step.Result, step.Reason, step.Matches, settled));
        return step;
    }

    /// <summary>
    /// One line per unit of work, without its address. Routine work (done, nothing matched) is Debug: at a million
    /// checks a day the log would otherwise drown what a deletion team needs to see (matches, retries, parked work).
    /// </summary>
    internal static void LogStep(ILogger logger, LeasedWork work, CrawlStep step, bool settled)
    {
        var level = step.Result == StepResult.Done && step.Matches == 0 && settled ? LogLevel.Debug : LogLevel.Information;
        if (!logger.IsEnabled(level)) return;
        logger.Log(level, "Monitoring {Kind} on {Host:l}: {Result} {Reason:l} ({Pages} pages, {Media} media queued, {Matches} matches{Lost:l})",
            work.Kind, work.HostKey, step.Result, step.Reason, step.PagesQueued, step.MediaQueued, step.Matches, settled ? "" : ", lease lost");
    }

    /// <summary>Completes, retries or parks the lease as the step says; false when the lease was lost meanwhile.</summary>
    internal static async Task<bool> SettleAsync(WorkQueue queue, LeasedWork work, CrawlStep step, CancellationToken cancellationToken) => step.Result switch
    {
        StepResult.Done => await queue.CompleteAsync(work, cancellationToken),
        StepResult.Park => await queue.ParkAsync(work, step.Reason, cancellationToken),
        _ => await queue.FailAsync(work, step.Reason, cancellationToken),
    };
}

/// <summary>One unit of work settled: its kind, host and outcome word (never the address).</summary>
public sealed record WorkCompleted(long Id, MonitoringWorkKind Kind, string HostKey, StepResult Result, string Reason, int Matches, bool Settled);

/// <summary>
/// Every unit of work this process settles, as it happens: a dashboard or a test awaits a condition
/// (<see cref="WaitAsync"/>) instead of polling the database.
/// </summary>
public sealed class WorkCompletions
{
    private readonly Lock _gate = new();
    private readonly List<(Func<WorkCompleted, bool> Condition, TaskCompletionSource<WorkCompleted> Done)> _waiting = [];

    public void Publish(WorkCompleted completed)
    {
        List<TaskCompletionSource<WorkCompleted>> met = [];
        lock (_gate)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (!_waiting[i].Condition(completed)) continue;
                met.Add(_waiting[i].Done);
                _waiting.RemoveAt(i);
            }
        }
        foreach (var done in met) done.TrySetResult(completed);
    }

    /// <summary>The first unit of work settled from now on that meets <paramref name="condition"/>.</summary>
    public Task<WorkCompleted> WaitAsync(Func<WorkCompleted, bool> condition, CancellationToken cancellationToken) =>
        WaitAsync(condition, 1, cancellationToken);

    /// <summary>The <paramref name="count"/>th unit of work settled from now on that meets <paramref name="condition"/>.</summary>
    public async Task<WorkCompleted> WaitAsync(Func<WorkCompleted, bool> condition, int count, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<WorkCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = 0;
        // Called under the gate only, so the count needs no more care.
        Func<WorkCompleted, bool> counted = c => condition(c) && ++seen >= count;
        var entry = (counted, done);
        lock (_gate) _waiting.Add(entry);
        await using (cancellationToken.Register(() =>
        {
            lock (_gate) _waiting.Remove(entry);
            done.TrySetCanceled(cancellationToken);
        }))
        {
            return await done.Task;
        }
    }
}

/// <summary>
/// Wakes this process's idle workers when work was just queued here (the re-check's schedule), so they need not wait
/// for their next poll. Work queued by other processes is found at the next poll.
/// </summary>
public sealed class WorkArrived
{
    private readonly System.Threading.Channels.Channel<bool> _signal = System.Threading.Channels.Channel.CreateBounded<bool>(
        new System.Threading.Channels.BoundedChannelOptions(1) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite });

    public void Notify() => _signal.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) => await _signal.Reader.ReadAsync(cancellationToken);
}
