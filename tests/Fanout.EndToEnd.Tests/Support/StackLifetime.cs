using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>
/// A stack started before and stopped after its user: the base of the class fixtures that share one stack among a
/// collection's tests, and of test classes that need a stack of their own for each test (xunit makes a new instance,
/// so a new stack, per test).
/// </summary>
public abstract class StackLifetime(StackOptions options) : IAsyncLifetime
{
    public FanoutStack Stack { get; private set; } = null!;

    public IngestClient Ingest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await FanoutStack.StartAsync(options);
        Ingest = new IngestClient(Stack.CreateIngestClient());
    }

    public virtual async Task DisposeAsync()
    {
        Ingest.Dispose();
        await Stack.DisposeAsync();
    }
}
