using System.Diagnostics.Metrics;

namespace Fanout.Ingest.Submission;

/// <summary>The service's meter (<c>Fanout.Ingest</c>).</summary>
public sealed class IngestMetrics
{
    public const string MeterName = "Fanout.Ingest";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _unavailable;
    private readonly Counter<long> _throttled;

    public IngestMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("fanout.ingest.events.accepted", "{event}", "Events accepted (confirmed by the broker).");
        _unavailable = meter.CreateCounter<long>("fanout.ingest.events.unavailable", "{event}", "Events refused with 503 because the broker did not accept them.");
        _throttled = meter.CreateCounter<long>("fanout.ingest.requests.throttled", "{request}", "Requests refused with 429: their API key was over its rate limit.");
    }

    public void Accepted(int count) => _accepted.Add(count);

    public void Unavailable(int count) => _unavailable.Add(count);

    /// <summary>A request of key <paramref name="keyName"/> was over the key's rate limit (tag <c>api_key</c>: the key's name).</summary>
    public void Throttled(string keyName) => _throttled.Add(1, new KeyValuePair<string, object?>("api_key", keyName));
}
