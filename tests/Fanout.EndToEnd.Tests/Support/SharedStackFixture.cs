using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>Two sequencers and two realtime nodes shared by the tests of the <see cref="SharedStackCollection"/>.</summary>
/// <remarks>
/// Its sequencers wait 10 s before standing by for each other's partitions, so that on a loaded machine the second one
/// is up before the first takes its share (SequencerSharingTests checks they share).
/// </remarks>
public sealed class SharedStackFixture() : StackLifetime(new StackOptions
{
    Sequencers = 2,
    RealtimeNodes = 2,
    Settings = new Dictionary<string, string>(UnlimitedKey) { ["Sequencer:StandbyDelayMs"] = "10000" },
})
{
    /// <summary>
    /// The test key without a rate limit: these tests publish as fast as the machine lets them, so the default limit
    /// (1,000/s, bursts of 2,000) would make them depend on its speed. The limit has tests of its own.
    /// </summary>
    public static IReadOnlyDictionary<string, string> UnlimitedKey { get; } =
        new Dictionary<string, string> { ["Ingest:ApiKeys:0:RequestsPerSecond"] = "0" };
}

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<SharedStackFixture>
{
    public const string Name = "shared stack";
}
