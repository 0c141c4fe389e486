using Fanout.Bench.Progress;
using Fanout.Bench.Results;
using Fanout.Bench.Scenarios;
using Fanout.Bench.Settings;
using Spectre.Console;

namespace Fanout.Bench.Cli;

/// <summary>
/// Runs one scenario from the command line: progress and the result table on stderr, the JSON line (only it) on
/// stdout, so the output can be appended to a .jsonl file as it is.
/// </summary>
public static class BenchRunner
{
    public static Task<int> RunAsync(IBenchScenario scenario, BenchSettings settings, bool jsonOnly, CancellationToken cancellationToken) =>
        RunAsync((status, opened, ct) => RunScenarioAsync(scenario, settings, status, opened, ct), jsonOnly, cancellationToken);

    /// <summary>
    /// Runs a workload that opens and closes its own session; it passes the session to its second argument once
    /// open, for the live progress.
    /// </summary>
    public static async Task<int> RunAsync(Func<RunStatus, Action<BenchSession>, CancellationToken, Task<BenchResult>> run, bool jsonOnly,
        CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var status = new RunStatus();
        var progress = new LiveProgress(console, status);
        try
        {
            var result = await (jsonOnly
                ? run(status, _ => { }, cancellationToken)
                : progress.ShowWhileAsync(() => run(status, progress.Attach, cancellationToken)));
            if (!jsonOnly)
            {
                ResultTable.Write(console, result);
            }

            await Console.Out.WriteLineAsync(ResultJson.Serialize(result));
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("fanout-bench: cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"fanout-bench: {ex.Message}");
            return 1;
        }
    }

    private static async Task<BenchResult> RunScenarioAsync(IBenchScenario scenario, BenchSettings settings, RunStatus status,
        Action<BenchSession> opened, CancellationToken cancellationToken)
    {
        await using var session = await BenchSession.OpenAsync(settings, status, cancellationToken);
        opened(session);
        return await scenario.RunAsync(session, cancellationToken);
    }
}
