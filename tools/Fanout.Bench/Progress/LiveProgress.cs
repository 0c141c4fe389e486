using System.Globalization;
using Fanout.Bench.Metrics;
using Fanout.Bench.Scenarios;
using Spectre.Console;

namespace Fanout.Bench.Progress;

/// <summary>
/// Shows what a run is doing while it runs: a live-updating table on an interactive console, otherwise a line
/// every few seconds. Reads the session's counters only.
/// </summary>
public sealed class LiveProgress(IAnsiConsole console, RunStatus status)
{
    private BenchSession? _session;

    public void Attach(BenchSession session) => _session = session;

    public async Task<T> ShowWhileAsync<T>(Func<Task<T>> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            return await PrintLinesWhileAsync(work());
        }

        return await console.Live(new Markup(Markup.Escape(Describe()))).AutoClear(true).StartAsync(async context =>
        {
            var task = work();
            while (!task.IsCompleted)
            {
                context.UpdateTarget(new Markup(Markup.Escape(Describe())));
                await Task.WhenAny(task, Task.Delay(250));
            }

            return await task;
        });
    }

    private async Task<T> PrintLinesWhileAsync<T>(Task<T> task)
    {
        var lastPhase = "";
        var lastLine = 0.0;
        while (!task.IsCompleted)
        {
            var phase = status.Current.Name;
            if (phase != lastPhase || BenchClock.NowMs - lastLine > 5000)
            {
                console.Profile.Out.Writer.WriteLine(Describe());
                (lastPhase, lastLine) = (phase, BenchClock.NowMs);
            }

            await Task.WhenAny(task, Task.Delay(250));
        }

        return await task;
    }

    private string Describe()
    {
        var phase = status.Current;
        var elapsed = (BenchClock.NowMs - phase.StartMs) / 1000;
        var line = phase.Seconds > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{phase.Name} {elapsed:F1}/{phase.Seconds:F0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{phase.Name} {elapsed:F1} s");
        if (phase.TargetRate > 0)
        {
            line += string.Create(CultureInfo.InvariantCulture, $" at {phase.TargetRate:F0} events/s");
        }

        if (_session is not { } s)
        {
            return line;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{line} | published {s.Log.AcceptedTotal} (failed {s.Log.FailedTotal}, in flight {s.Publisher.Inflight}) | received {s.Counters.FirstCopiesTotal} (dup {s.Counters.Duplicates}) | disconnects {s.Pool.UnexpectedCloses}");
    }
}
