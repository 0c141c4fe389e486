using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Client;

/// <summary>The connection loop: connect, resubscribe, wait for the loss, back off, fail over, again.</summary>
public sealed partial class FanoutClient
{
    private async Task RunAsync(CancellationToken stopping)
    {
        var failures = 0;
        var urlIndex = 0;
        var first = true;
        var immediate = false;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var hubUrl = _hubUrls[urlIndex % _hubUrls.Count];
                if (!first)
                {
                    // A node closes a connection whose token expired, or sends its clients away when it shuts down:
                    // connect again at once (with a fresh token, to the next node).
                    var delay = immediate ? TimeSpan.Zero : _backoff.Delay(failures);
                    RaiseReconnecting(failures + 1, delay, hubUrl);
                    await Task.Delay(delay, stopping);
                }

                first = false;
                immediate = false;
                ClientSession session;
                try
                {
                    session = await OpenSessionAsync(hubUrl, stopping);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    RaiseError(ex, $"connecting to {hubUrl}");
                    failures++;
                    urlIndex++;
                    continue;
                }

                failures = 0;
                var error = await RunSessionAsync(session, stopping);
                RaiseDisconnected(session.HubUrl, error);
                immediate = HubErrors.IsTokenExpiry(error) || HubErrors.IsNodeShutdown(error);
                if (HubErrors.IsTokenExpiry(error))
                {
                    await RefreshTokenAsync(stopping);
                }

                urlIndex++;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Asks <see cref="FanoutClientOptions.RefreshToken"/>, when set, for the token of the next connects.</summary>
    private async Task RefreshTokenAsync(CancellationToken stopping)
    {
        if (_refreshToken is null)
        {
            return;
        }

        try
        {
            _refreshedToken = await _refreshToken(stopping);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            RaiseError(ex, "refreshing the access token");
        }
    }

    /// <summary>Makes <paramref name="session"/> current, resubscribes every room, and waits until it closes.</summary>
    private async Task<Exception?> RunSessionAsync(ClientSession session, CancellationToken stopping)
    {
        lock (_gate)
        {
            _session = session;
            _connected.TrySetResult(session);
        }

        RaiseConnected(session.HubUrl);
        foreach (var subscription in _subscriptions.Values)
        {
            _ = SubscribeRoomAsync(session, subscription, callerWaits: false, CancellationToken.None);
        }

        try
        {
            return await session.Closed.Task.WaitAsync(stopping);
        }
        finally
        {
            lock (_gate)
            {
                _session = null;
                if (_connected.Task.IsCompleted && !_disposed)
                {
                    _connected = NewConnectedSource();
                }
            }

            foreach (var subscription in _subscriptions.Values)
            {
                lock (subscription.Gate)
                {
                    subscription.Tracker.ConnectionLost();
                    if (!subscription.IsDisposed)
                    {
                        SetState(subscription, SubscriptionState.Subscribing, "connectionLost");
                    }
                }
            }

            await DisposeQuietlyAsync(session.Connection);
        }
    }

    /// <summary>Opens a connection to <paramref name="hubUrl"/> with the client's handlers, within the connect timeout.</summary>
    private async Task<ClientSession> OpenSessionAsync(Uri hubUrl, CancellationToken stopping)
    {
        var connection = FanoutHubConnections.Create(hubUrl, _accessTokenProvider);
        var session = new ClientSession(connection, hubUrl);
        connection.Closed += error =>
        {
            session.Closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        connection.On<FanoutEvent>(HubMethods.EventMessage, roomEvent => OnEventReceived(session, roomEvent));
        connection.On<PresenceChange>(HubMethods.PresenceMessage, change => OnPresenceReceived(session, change));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await connection.StartAsync(timeout.Token);
            return session;
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(connection);
            throw new TimeoutException($"Connecting to {hubUrl} took longer than {_connectTimeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            await DisposeQuietlyAsync(connection);
            throw;
        }
    }

    private static async Task DisposeQuietlyAsync(HubConnection connection)
    {
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception)
        {
            // A connection that failed to start or already died has nothing left to close.
        }
    }
}
