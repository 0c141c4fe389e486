using Fanout.Bench.Results;

namespace Fanout.Bench.Scenarios;

/// <summary>A workload run on an open <see cref="BenchSession"/>.</summary>
public interface IBenchScenario
{
    string Name { get; }

    Task<BenchResult> RunAsync(BenchSession session, CancellationToken cancellationToken);
}
