using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// The stack of the PostgreSQL outage collection's tests: one sequencer, one node, <see cref="Partitions"/> partitions
/// (so that the queues a test inspects are few), started for each test and stopped after it.
/// </summary>
public abstract class PostgresOutageStack : IAsyncLifetime
{
    protected const int Partitions = 2;

    protected FanoutStack Stack { get; private set; } = null!;

    protected IngestClient Ingest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await FanoutStack.StartAsync(new StackOptions { Sequencers = 1, RealtimeNodes = 1, Partitions = Partitions, Presence = false });
        Ingest = new IngestClient(Stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        Ingest.Dispose();
        await Stack.DisposeAsync();
    }
}
