namespace Fanout.IntegrationTests.Ingest;

/// <summary>Ingest whose partition queues hold at most <see cref="MaxQueued"/> messages (nothing consumes them here).</summary>
public sealed class SmallBacklogIngestAppFixture : IngestAppFixture
{
    public const int MaxQueued = 3;

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } =
        new Dictionary<string, string> { ["Topology:MaxQueuedMessagesPerPartition"] = MaxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
