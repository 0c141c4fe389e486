using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>Two sequencers and two realtime nodes shared by the tests of the <see cref="SharedStackCollection"/>.</summary>
public sealed class SharedStackFixture() : StackLifetime(new StackOptions { Sequencers = 2, RealtimeNodes = 2 });

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<SharedStackFixture>
{
    public const string Name = "shared stack";
}
