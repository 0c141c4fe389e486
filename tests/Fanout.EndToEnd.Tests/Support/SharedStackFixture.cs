using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>Two sequencers and two realtime nodes shared by the tests of the <see cref="SharedStackCollection"/>.</summary>
public sealed class SharedStackFixture : IAsyncLifetime
{
    public FanoutStack Stack { get; private set; } = null!;

    public IngestClient Ingest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await FanoutStack.StartAsync(new StackOptions { Sequencers = 2, RealtimeNodes = 2 });
        Ingest = new IngestClient(Stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        Ingest.Dispose();
        await Stack.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<SharedStackFixture>
{
    public const string Name = "shared stack";
}
