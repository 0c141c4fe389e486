using System.Diagnostics.Metrics;
using Fanout.ServiceDefaults.Metrics;

namespace Fanout.Embedded.Sequencing;

/// <summary>The embedded sequencer's metrics (meter <c>Fanout.Embedded</c>); docs/operations.md lists them.</summary>
public sealed class InProcessSequencerMetrics
{
    public const string MeterName = "Fanout.Embedded";

    private readonly Counter<long> _persisted;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _batchSize;

    public InProcessSequencerMetrics(IMeterFactory meterFactory, Func<long> queuedEvents)
    {
        var meter = meterFactory.Create(MeterName);
        _persisted = meter.CreateCounter<long>("fanout.embedded.events.persisted", "{event}",
            "Events stored in the SQLite history with their seq (committed and synced).");
        _refused = meter.CreateCounter<long>("fanout.embedded.events.refused", "{event}",
            "Events answered 503 because the history database did not store them (full, read-only, I/O error) or the commit queue was full.");
        _commitDuration = meter.CreateHistogram(
            "fanout.embedded.commit.duration", "s", "One group commit: the SQLite transaction and its sync to disk.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.LatencySeconds });
        _batchSize = meter.CreateHistogram(
            "fanout.embedded.batch.size", "{event}", "Events per group commit (one SQLite transaction).",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. MetricBuckets.Sizes.Select(b => (int)b)] });
        meter.CreateObservableGauge("fanout.embedded.queue.depth", queuedEvents, "{event}",
            "Accepted events waiting for their commit.");
    }

    public void Committed(int events, double seconds)
    {
        _persisted.Add(events);
        _batchSize.Record(events);
        _commitDuration.Record(seconds);
    }

    public void Refused(int events) => _refused.Add(events);
}
