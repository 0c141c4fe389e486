using Fanout.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Testing.SignalR;

/// <summary>Real SignalR <see cref="HubConnection"/>s (JSON protocol) over the official WebSocket transport (Fanout.Client's <see cref="FanoutHubConnections"/>).</summary>
public static class TestHubConnections
{
    /// <summary>
    /// A connection to <paramref name="hubUrl"/> (<c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c>), not yet started.
    /// <paramref name="accessTokenProvider"/> is asked on every connect and reconnect; null or empty sends no token.
    /// With <paramref name="retry"/> the connection reconnects by that policy; without it, it stays closed.
    /// </summary>
    public static HubConnection Create(Uri hubUrl, Func<Task<string?>> accessTokenProvider, IRetryPolicy? retry = null) =>
        FanoutHubConnections.Create(hubUrl, accessTokenProvider, retry);
}
