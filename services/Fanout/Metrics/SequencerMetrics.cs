using System.Diagnostics.Metrics;
using Fanout.Contracts.Wire;
using Fanout.Sequencer.Intake;
using Fanout.ServiceDefaults.Metrics;

namespace Fanout.Sequencer.Metrics;

/// <summary>The sequencer's metrics (meter <c>Fanout.Sequencer</c>); docs/operations.md lists them.</summary>
public sealed class SequencerMetrics
{
    public const string MeterName = "Fanout.Sequencer";

    private readonly Counter<long> _persisted;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLetterFailures;
    private readonly Histogram<double> _persistLatency;
    private readonly Histogram<int> _batchSize;

    public SequencerMetrics(IMeterFactory meterFactory, SequencerInbox inbox, PartitionBacklog backlog)
    {
        var meter = meterFactory.Create(MeterName);
        _persisted = meter.CreateCounter<long>("fanout.sequencer.events.persisted", "{event}", "Events stored in PostgreSQL with their seq (committed).");
        _routed = meter.CreateCounter<long>("fanout.sequencer.events.routed", "{event}", "Committed events published to fanout.rooms for the nodes that hold their room.");
        _deadLettered = meter.CreateCounter<long>("fanout.sequencer.messages.dead_lettered", "{message}", "Submissions that could not be read or stored, moved to the dead-letter queue.");
        _deadLetterFailures = meter.CreateCounter<long>("fanout.sequencer.dead_letter.failures", "{attempt}",
            "Attempts to move a submission to the dead-letter queue that the broker refused or did not confirm; the message stays unacknowledged and is retried (logged, 3015).");
        _retries = meter.CreateCounter<long>("fanout.sequencer.commit.retries", "{batch}", "Batch commits that failed for a transient reason and are retried (PostgreSQL or the broker unavailable).");
        _persistLatency = meter.CreateHistogram(
            "fanout.sequencer.persist.latency", "s", "From an event's acceptance (its publishedAt) to its commit in PostgreSQL.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.LatencySeconds });
        _batchSize = meter.CreateHistogram(
            "fanout.sequencer.batch.size", "{event}", "Events per committed batch (one PostgreSQL transaction).",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [.. MetricBuckets.Sizes.Select(b => (int)b)] });
        meter.CreateObservableGauge("fanout.sequencer.inbox.depth", () => inbox.Count, "{message}",
            "Messages taken from the partition queues and waiting in this instance for the committer.");
        meter.CreateObservableGauge("fanout.sequencer.partition.backlog", backlog.Observe, "{message}",
            "Messages ready in each partition queue fanout.submit.{partition} (RabbitMQ's count from a passive declare, polled), by partition.");
    }

    /// <summary>A batch of <paramref name="committed"/> events was stored; <paramref name="now"/> is the commit time.</summary>
    public void Persisted(IReadOnlyList<RoomEvent> committed, DateTimeOffset now)
    {
        _persisted.Add(committed.Count);
        _batchSize.Record(committed.Count);
        foreach (var roomEvent in committed)
        {
            _persistLatency.Record(MetricBuckets.SecondsSince(roomEvent.PublishedAt, now));
        }
    }

    public void Routed(int events) => _routed.Add(events);

    public void DeadLettered() => _deadLettered.Add(1);

    public void Retried() => _retries.Add(1);

    public void DeadLetterFailed() => _deadLetterFailures.Add(1);
}
