using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Client;

/// <summary>
/// A Fanout client that recovers by itself. It keeps one SignalR connection to one of the configured realtime nodes
/// and, whenever that connection is lost (network, node killed, node closing it), reconnects with exponential backoff
/// and jitter — to the next node when there are several — and resubscribes every room from the last event it handed
/// out. Per room, the handler gets every event in <c>seq</c> order, each once; <see cref="Recovered"/> says a room
/// lost nothing, <see cref="Reset"/> that it may have (reload the room's state).
/// </summary>
public sealed partial class FanoutClient : IAsyncDisposable
{
    private readonly IReadOnlyList<Uri> _hubUrls;
    private readonly Func<Task<string?>> _accessTokenProvider;
    private readonly Func<CancellationToken, Task<string?>>? _refreshToken;
    private volatile string? _refreshedToken;
    private readonly TimeSpan _connectTimeout;
    private readonly ReconnectBackoff _backoff;
    private readonly CallbackDispatcher _dispatcher;
    private readonly ConcurrentDictionary<string, FanoutSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly Lock _gate = new();
    private TaskCompletionSource<ClientSession> _connected = NewConnectedSource();
    private ClientSession? _session;
    private Task? _loop;
    private bool _disposed;

    /// <summary>A client that connects on <see cref="StartAsync"/> (or on the first call that needs a connection).</summary>
    public FanoutClient(FanoutClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hubUrls = options.Validate();
        var provider = options.AccessTokenProvider ?? (() => Task.FromResult<string?>(null));
        _accessTokenProvider = () => _refreshedToken is { } refreshed ? Task.FromResult<string?>(refreshed) : provider();
        _refreshToken = options.RefreshToken;
        _connectTimeout = options.ConnectTimeout;
        _backoff = new ReconnectBackoff(options.ReconnectDelayBase, options.ReconnectDelayMax);
        _stoppingToken = _stopping.Token;
        _dispatcher = new CallbackDispatcher((ex, room) => Error?.Invoke(new FanoutError(ex, "a handler threw", room)));
    }

    /// <summary>The node the client is connected to now; null while disconnected.</summary>
    public Uri? CurrentHubUrl => Volatile.Read(ref _session)?.HubUrl;

    /// <summary>Whether the client has a connection to a node now.</summary>
    public bool IsConnected => Volatile.Read(ref _session) is not null;

    /// <summary>Creates a client and waits until it is connected (retrying with backoff until <paramref name="cancellationToken"/>).</summary>
    public static async Task<FanoutClient> ConnectAsync(FanoutClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new FanoutClient(options);
        try
        {
            await client.StartAsync(cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the connection loop and waits until the client is connected. Failed attempts are retried with backoff
    /// (each raises <see cref="Error"/> and <see cref="Reconnecting"/>) until <paramref name="cancellationToken"/>;
    /// cancelling stops the wait, not the client.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        await WaitConnectedAsync(cancellationToken);
    }

    /// <summary>Publishes an event to <paramref name="room"/> and returns its id once it is durably accepted. Waits for a connection first.</summary>
    public Task<string> PublishAsync(string room, string type, object? data, CancellationToken cancellationToken = default) =>
        PublishAsync(room, type, data, idempotencyKey: null, cancellationToken);

    /// <summary>
    /// Publishes an event with an idempotency key (1–128 printable ASCII): a repeat with the same key is stored once and
    /// returns the same id (scope: room, this user, key), so a publish whose answer was lost can be retried safely.
    /// </summary>
    public async Task<string> PublishAsync(string room, string type, object? data, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        var session = await WaitConnectedAsync(cancellationToken);
        var reply = idempotencyKey is null
            ? await session.Connection.InvokeAsync<PublishReply>(HubMethods.Publish, room, type, data, cancellationToken)
            : await session.Connection.InvokeAsync<PublishReply>(HubMethods.Publish, room, type, data, idempotencyKey, cancellationToken);
        return reply.Id;
    }

    /// <summary>Who is in <paramref name="room"/> now (hub <c>Presence</c>).</summary>
    public async Task<PresenceSnapshot> GetPresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        var session = await WaitConnectedAsync(cancellationToken);
        return await session.Connection.InvokeAsync<PresenceSnapshot>(HubMethods.Presence, room, cancellationToken);
    }

    /// <summary>How many users and connections are in <paramref name="room"/> (hub <c>PresenceStats</c>).</summary>
    public async Task<PresenceStats> GetPresenceStatsAsync(string room, CancellationToken cancellationToken = default)
    {
        var session = await WaitConnectedAsync(cancellationToken);
        return await session.Connection.InvokeAsync<PresenceStats>(HubMethods.PresenceStats, room, cancellationToken);
    }

    /// <summary>
    /// A page of <paramref name="room"/>'s stored history (hub <c>History</c>): at most <paramref name="limit"/> (1–1000;
    /// null: 100) events with seq &gt; <paramref name="after"/>, oldest first. Needs the permission to subscribe to the
    /// room, not a subscription; a refusal throws <c>HubException</c>. The events do not go to any handler.
    /// </summary>
    public async Task<HistoryPage> GetHistoryAsync(string room, long after = 0, int? limit = null, CancellationToken cancellationToken = default)
    {
        var session = await WaitConnectedAsync(cancellationToken);
        return await session.Connection.InvokeAsync<HistoryPage>(HubMethods.History, room, after, limit, cancellationToken);
    }

    /// <summary>Closes the connection and stops reconnecting; callbacks already queued run first.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
            _connected.TrySetException(new ObjectDisposedException(nameof(FanoutClient)));
        }

        await _stopping.CancelAsync();
        if (loop is not null)
        {
            await loop;
        }

        foreach (var subscription in _subscriptions.Values)
        {
            lock (subscription.Gate)
            {
                if (!subscription.IsDisposed)
                {
                    SetState(subscription, SubscriptionState.Unsubscribed, "clientClosed");
                }

                subscription.IsDisposed = true;
            }
        }

        _subscriptions.Clear();
        await _dispatcher.DisposeAsync();
        _stopping.Dispose();
    }

    private void EnsureStarted()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _loop ??= Task.Run(() => RunAsync(_stoppingToken));
        }
    }

    /// <summary>The open connection, or the next one once it is open.</summary>
    private async Task<ClientSession> WaitConnectedAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        Task<ClientSession> next;
        lock (_gate)
        {
            if (_session is { } session)
            {
                return session;
            }

            next = _connected.Task;
        }

        return await next.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource<ClientSession> NewConnectedSource() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
