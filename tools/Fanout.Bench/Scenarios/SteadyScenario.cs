using Fanout.Bench.Results;

namespace Fanout.Bench.Scenarios;

/// <summary>Warm-up, then one window at the base rate. Expected deliveries = published × clients per room.</summary>
public sealed class SteadyScenario : IBenchScenario
{
    public string Name => "steady";

    public async Task<BenchResult> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        var settings = session.Settings;
        await session.WarmupAsync(settings.Rate, cancellationToken);
        var window = await session.MeasureAsync("measuring", BenchSession.FirstMeasuredPhase, settings.Rate,
            TimeSpan.FromSeconds(settings.DurationSeconds), cancellationToken: cancellationToken);
        return ResultBuilder.Build(Name, session, window);
    }
}
