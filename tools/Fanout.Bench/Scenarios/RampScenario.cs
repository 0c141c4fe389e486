using Fanout.Bench.Results;

namespace Fanout.Bench.Scenarios;

/// <summary>
/// Steps of rising rate (× factor per step), each drained and judged on its own; stops at the first step with
/// p99 over the limit, loss over the limit, or a publisher below 90 % of the target rate (the machine is saturated).
/// </summary>
public sealed class RampScenario : IBenchScenario
{
    public string Name => "ramp";

    public async Task<BenchResult> RunAsync(BenchSession session, CancellationToken cancellationToken)
    {
        var ramp = session.Settings.Ramp;
        await session.WarmupAsync(session.Settings.Rate, cancellationToken);
        var steps = new List<RampStep>();
        WindowMeasurement? best = null, last = null;
        var stopReason = "max-steps";
        var rate = session.Settings.Rate;
        for (var i = 0; i < Math.Min(ramp.MaxSteps, 250); i++)
        {
            var m = await session.MeasureAsync($"step {i}", BenchSession.FirstMeasuredPhase + i, rate,
                TimeSpan.FromSeconds(ramp.StepSeconds), cancellationToken: cancellationToken);
            last = m;
            var failures = Failures(m, rate, ramp);
            steps.Add(RampStep.From(i, failures.Count == 0, m));
            if (failures.Count > 0)
            {
                stopReason = string.Join("; ", failures);
                break;
            }

            best = m;
            rate *= ramp.Factor;
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var result = ResultBuilder.Build(Name, session, best ?? last!);
        return result with
        {
            Steps = steps,
            MaxSustained = best is null ? null : steps.Last(s => s.Held),
            StopReason = stopReason,
        };
    }

    private static List<string> Failures(WindowMeasurement m, double rate, Settings.RampSettings ramp)
    {
        var failures = new List<string>();
        if (m.LatencyMs.P99 is not { } p99 || p99 > ramp.P99LimitMs)
        {
            failures.Add($"p99 {m.LatencyMs.P99?.ToString() ?? "n/a"} ms > {ramp.P99LimitMs} ms");
        }

        if (m.Delivery.LossPercent is not { } loss || loss > ramp.LossLimitPercent)
        {
            failures.Add($"loss {m.Delivery.LossPercent?.ToString() ?? "n/a"} % > {ramp.LossLimitPercent} %");
        }

        if (m.PublishRate < 0.9 * rate)
        {
            failures.Add($"publisher reached only {m.PublishRate}/s of {Math.Round(rate)}/s (machine saturated)");
        }

        return failures;
    }
}
