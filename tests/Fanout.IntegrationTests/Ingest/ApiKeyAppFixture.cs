namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// Ingest with several keys: <see cref="IngestAppFixture.ApiKey"/> for every room, a key limited to some rooms
/// (configured as <c>sha256:</c> with upper-case hex), a plain-text key, and keys with small rate limits of their own.
/// </summary>
public sealed class ApiKeyAppFixture : IngestAppFixture
{
    public const string ChatKey = "chat-backend-key-0123456789";
    public const string PlainKey = "plain-dev-key-0123456789";
    public const string LimitedKey = "limited-key-0123456789";
    public const string FloodKey = "flood-key-0123456789";
    public const string NeighbourKey = "neighbour-key-0123456789";
    public const string BatchKey = "batch-key-0123456789";
    public const string BroadcastKey = "broadcast-key-0123456789";
    public const string SmallBurstKey = "small-burst-key-0123456789";

    /// <summary>The burst of the rate-limited keys; they refill at one request per second.</summary>
    public const int Burst = 3;

    /// <summary>The burst of <see cref="BroadcastKey"/>, which also refills at one request per second.</summary>
    public const int BroadcastBurst = 10;

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Ingest:ApiKeys:1:Name"] = "chat",
        ["Ingest:ApiKeys:1:Hash"] = "sha256:" + HashOf(ChatKey).ToUpperInvariant(),
        ["Ingest:ApiKeys:1:Rooms:0"] = "chat:*",
        ["Ingest:ApiKeys:1:Rooms:1"] = "user:42",
        ["Ingest:ApiKeys:2:Name"] = "plain",
        ["Ingest:ApiKeys:2:Key"] = PlainKey,
        ["Ingest:ApiKeys:3:Name"] = "limited",
        ["Ingest:ApiKeys:3:Hash"] = HashOf(LimitedKey),
        ["Ingest:ApiKeys:4:Name"] = "flood",
        ["Ingest:ApiKeys:4:Hash"] = HashOf(FloodKey),
        ["Ingest:ApiKeys:5:Name"] = "neighbour",
        ["Ingest:ApiKeys:5:Hash"] = HashOf(NeighbourKey),
        ["Ingest:ApiKeys:6:Name"] = "batch",
        ["Ingest:ApiKeys:6:Hash"] = HashOf(BatchKey),
        ["Ingest:ApiKeys:7:Name"] = "broadcast",
        ["Ingest:ApiKeys:7:Hash"] = HashOf(BroadcastKey),
        ["Ingest:ApiKeys:7:RequestsPerSecond"] = "1",
        ["Ingest:ApiKeys:7:Burst"] = BroadcastBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingest:ApiKeys:8:Name"] = "small-burst",
        ["Ingest:ApiKeys:8:Hash"] = HashOf(SmallBurstKey),
        // The section defaults apply to every key without its own; the keys above with no limit of their own
        // (test, chat, plain) set a generous one.
        ["Ingest:RateLimit:RequestsPerSecond"] = "1",
        ["Ingest:RateLimit:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingest:ApiKeys:0:RequestsPerSecond"] = "0",
        ["Ingest:ApiKeys:1:RequestsPerSecond"] = "1000",
        ["Ingest:ApiKeys:1:Burst"] = "1000",
        ["Ingest:ApiKeys:2:RequestsPerSecond"] = "1000",
        ["Ingest:ApiKeys:2:Burst"] = "1000",
    };
}
