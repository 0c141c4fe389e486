using Fanout.Contracts.Wire;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>
/// A client of one room that survives its connections: it keeps every event it received across connections and, on
/// each new connection, subscribes with the last seq and epoch it saw, as a reconnecting client does.
/// </summary>
public sealed class ResumableClient(FanoutStack stack, string room) : IAsyncDisposable
{
    private readonly List<RoomEvent> _events = [];
    private HubConnection? _connection;

    public string Room { get; } = room;

    /// <summary>The result of the last <c>Subscribe</c>.</summary>
    public SubscribeResult? LastResult { get; private set; }

    public IReadOnlyList<RoomEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Connects to <paramref name="node"/> and subscribes: live from now the first time, then from the last seq seen.</summary>
    public async Task<SubscribeResult> ConnectAsync(int node, TimeSpan? timeout = null)
    {
        await DropAsync();
        var token = TestTokens.Create($"user-{Guid.NewGuid():N}"[..13], FanoutStack.SigningKey);
        var connection = TestHubConnections.Create(stack.HubUrl(node), () => Task.FromResult<string?>(token));
        connection.On<RoomEvent>("event", roomEvent =>
        {
            lock (_events)
            {
                _events.Add(roomEvent);
            }
        });
        _connection = connection;
        await Eventually.WithinAsync(connection.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default),
            $"connect to node {node}", timeout);
        var last = Events is [.., var newest] ? newest : null;
        LastResult = await Eventually.WithinAsync(
            connection.InvokeAsync<SubscribeResult>("Subscribe", Room, last?.Seq ?? LastResult?.LastSeq, last?.Epoch ?? LastResult?.Epoch),
            $"Subscribe {Room} on node {node}", timeout);
        return LastResult;
    }

    /// <summary>Closes the connection (the client is gone until the next <see cref="ConnectAsync"/>).</summary>
    public async Task DropAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public Task WaitForAsync(int count, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => Events.Count >= count, $"{Room}: {count} events (has {Events.Count})", timeout);

    public ValueTask DisposeAsync() => new(DropAsync());
}
