using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Client;

/// <summary>
/// A stack of its own for the .NET client's tests (one sequencer, two realtime nodes): they stop and kill nodes, so
/// they cannot share the stack of the other tests. Every test leaves both nodes running.
/// </summary>
public sealed class ClientStackFixture() : StackLifetime(new StackOptions
{
    Sequencers = 1,
    RealtimeNodes = 2,
    Partitions = 4,
    Settings = new Dictionary<string, string> { ["Realtime:Drain:TimeoutMs"] = "3000" },
})
{
    /// <summary>Starts every node that a test stopped or killed, and waits until it is ready.</summary>
    public async Task RestartStoppedNodesAsync()
    {
        foreach (var node in Stack.Nodes.Where(n => !n.IsRunning))
        {
            node.Start();
            await node.WaitReadyAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientStackCollection : ICollectionFixture<ClientStackFixture>
{
    public const string Name = "dotnet client stack";
}
