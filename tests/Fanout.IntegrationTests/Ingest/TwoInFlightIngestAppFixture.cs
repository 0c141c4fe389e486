namespace Fanout.IntegrationTests.Ingest;

/// <summary>Ingest with two submission messages in flight per partition (<c>Submitter:MaxMessagesInFlight</c> = 2).</summary>
public sealed class TwoInFlightIngestAppFixture : IngestAppFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } =
        new Dictionary<string, string> { ["Submitter:MaxMessagesInFlight"] = "2" };
}
