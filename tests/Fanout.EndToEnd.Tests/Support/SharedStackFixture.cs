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
    Settings = new Dictionary<string, string> { ["Sequencer:StandbyDelayMs"] = "10000" },
});

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<SharedStackFixture>
{
    public const string Name = "shared stack";
}
