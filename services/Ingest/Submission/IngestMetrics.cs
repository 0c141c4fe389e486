using System.Diagnostics.Metrics;

namespace Fanout.Ingest.Submission;

/// <summary>The service's meter (<c>Fanout.Ingest</c>).</summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Fanout.Ingest";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _unavailable;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("fanout.ingest.events.accepted", "{event}", "Events accepted (confirmed by the broker).");
        _unavailable = meter.CreateCounter<long>("fanout.ingest.events.unavailable", "{event}", "Events refused with 503 because the broker did not accept them.");
    }

    public void Accepted(int count) => _accepted.Add(count);

    public void Unavailable(int count) => _unavailable.Add(count);
}
