using System.Collections.Concurrent;
using Fanout.Client;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Client;

/// <summary>A <see cref="FanoutClient"/> on a test stack that records every event, callback and token request.</summary>
public sealed class ClientProbe : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<FanoutEvent>> _events = new(StringComparer.Ordinal);
    private int _tokenRequests;

    private ClientProbe(FanoutStack stack, IEnumerable<int> nodes, TimeSpan? tokenLifetime = null)
    {
        var token = TestTokens.Create(UserId, FanoutStack.SigningKey);
        Client = new FanoutClient(new FanoutClientOptions
        {
            HubUrls = nodes.Select(stack.HubUrl).ToList(),
            AccessTokenProvider = () =>
            {
                Interlocked.Increment(ref _tokenRequests);
                // With a token lifetime, a fresh token on every request (the node closes the connection when it expires).
                return Task.FromResult<string?>(tokenLifetime is { } lifetime ? TestTokens.Create(UserId, FanoutStack.SigningKey, lifetime) : token);
            },
            ReconnectDelayBase = TimeSpan.FromMilliseconds(200),
            ReconnectDelayMax = TimeSpan.FromSeconds(2),
        });
        Client.Recovered += Recovered.Enqueue;
        Client.Reset += Resets.Enqueue;
        Client.Connected += Connections.Enqueue;
        Client.Disconnected += Disconnections.Enqueue;
        Client.Error += Errors.Enqueue;
        Client.SubscriptionStateChanged += States.Enqueue;
    }

    public FanoutClient Client { get; }

    public string UserId { get; } = $"user-{Guid.NewGuid():N}"[..13];

    public ConcurrentQueue<RoomRecovered> Recovered { get; } = new();

    public ConcurrentQueue<RoomReset> Resets { get; } = new();

    public ConcurrentQueue<FanoutConnected> Connections { get; } = new();

    public ConcurrentQueue<FanoutDisconnected> Disconnections { get; } = new();

    public ConcurrentQueue<FanoutError> Errors { get; } = new();

    public ConcurrentQueue<PresenceChange> PresenceChanges { get; } = new();

    public ConcurrentQueue<SubscriptionStateChanged> States { get; } = new();

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>A started client that fails over between <paramref name="nodes"/> (indexes into the stack's nodes), in that order.</summary>
    public static Task<ClientProbe> ConnectAsync(FanoutStack stack, params int[] nodes) => ConnectAsync(stack, null, nodes);

    /// <summary>As the other overload; with <paramref name="tokenLifetime"/>, every token asked for is new and lives that long.</summary>
    public static async Task<ClientProbe> ConnectAsync(FanoutStack stack, TimeSpan? tokenLifetime, params int[] nodes)
    {
        var probe = new ClientProbe(stack, nodes, tokenLifetime);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await probe.Client.StartAsync(timeout.Token);
        return probe;
    }

    /// <summary>Subscribes with a handler that records the room's events and presence changes, then runs <paramref name="also"/> on each event.</summary>
    public async Task<FanoutSubscription> SubscribeAsync(string room, StreamPosition? from = null, Action<FanoutEvent>? also = null)
    {
        var list = _events.GetOrAdd(room, _ => []);
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return await Client.SubscribeAsync(room, new RecordingHandler(list, PresenceChanges, also), from, timeout.Token);
    }

    /// <summary>A snapshot of what the handler got for <paramref name="room"/>, in order.</summary>
    public IReadOnlyList<FanoutEvent> Events(string room)
    {
        if (!_events.TryGetValue(room, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.ToList();
        }
    }

    public Task WaitForAsync(string room, int count, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => Events(room).Count >= count, $"the client has {count} events of {room} (has {Events(room).Count})", timeout);

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();

    private sealed class RecordingHandler(List<FanoutEvent> events, ConcurrentQueue<PresenceChange> presence, Action<FanoutEvent>? also)
        : IRoomHandler
    {
        public void OnEvent(FanoutEvent roomEvent)
        {
            lock (events)
            {
                events.Add(roomEvent);
            }

            also?.Invoke(roomEvent);
        }

        public void OnPresence(PresenceChange change) => presence.Enqueue(change);
    }
}
