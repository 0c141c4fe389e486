using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// A stack with two realtime nodes (one sequencer, no presence service: neither matters to the proxy) and a real
/// nginx in front of the nodes running compose/nginx.conf, rendered for local addresses.
/// </summary>
public sealed class NginxStackFixture : IAsyncLifetime
{
    public FanoutStack Stack { get; private set; } = null!;

    internal NginxProcess Nginx { get; private set; } = null!;

    public IngestClient Ingest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await FanoutStack.StartAsync(new StackOptions { Sequencers = 1, RealtimeNodes = 2, Presence = false });
        Ingest = new IngestClient(Stack.CreateIngestClient());
        Nginx = await NginxProcess.StartAsync(Stack.Nodes);
    }

    /// <summary>The realtime node behind an upstream address of the access log (<c>127.0.0.1:port</c>).</summary>
    public ServiceProcess NodeAt(string upstream) =>
        Stack.Nodes.Single(n => upstream == $"127.0.0.1:{n.Port}");

    public async Task DisposeAsync()
    {
        if (Nginx is not null)
        {
            await Nginx.DisposeAsync();
        }

        Ingest?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}
