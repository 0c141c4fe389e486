using Fanout.Bench.Results;

namespace Fanout.Bench.Scenarios;

/// <summary>
/// Steady publishing; at drop-at seconds into the window the chosen clients (one node's, or all) drop for the gap
/// and come back resubscribing from their last seq. The window lasts until every client is back.
/// </summary>
public sealed class ReconnectStormScenario : IBenchScenario
{
    public string Name => "reconnect-storm";

    public async Task<BenchResult> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        var settings = session.Settings;
        var nodeIndex = settings.ReconnectStorm.NodeIndex;
        var chosen = session.Pool.Clients
            .Where(c => nodeIndex is not { } n || c.Index % settings.Nodes.Count == n)
            .ToList();
        var storm = new ReconnectStorm(chosen, TimeSpan.FromSeconds(settings.ReconnectStorm.GapSeconds));
        Task? running = null;
        await session.WarmupAsync(settings.Rate, cancellationToken);
        var window = await session.MeasureAsync("measuring", BenchSession.FirstMeasuredPhase, settings.Rate,
            TimeSpan.FromSeconds(settings.DurationSeconds),
            [(TimeSpan.FromSeconds(settings.ReconnectStorm.DropAtSeconds), () =>
            {
                session.Status.Enter($"dropping {chosen.Count} clients for {settings.ReconnectStorm.GapSeconds} s", settings.Rate);
                running = storm.RunAsync(cancellationToken);
            })],
            () => running ?? Task.CompletedTask,
            cancellationToken);
        return ResultBuilder.Build(Name, session, window) with { Reconnect = storm.Summarize(session.Log, settings.Rooms) };
    }
}
