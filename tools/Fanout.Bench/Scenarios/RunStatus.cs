using Fanout.Bench.Metrics;

namespace Fanout.Bench.Scenarios;

/// <summary>What a run is doing now, for the live progress view.</summary>
public sealed class RunStatus
{
    private volatile PhaseInfo _current = new("starting", 0, 0, BenchClock.NowMs);

    public PhaseInfo Current => _current;

    public void Enter(string name, double targetRate = 0, double seconds = 0) =>
        _current = new PhaseInfo(name, targetRate, seconds, BenchClock.NowMs);
}
