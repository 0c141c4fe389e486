using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Testing.SignalR;

/// <summary>Real SignalR <see cref="HubConnection"/>s (JSON protocol) over <see cref="WebSocketConnectionFactory"/>.</summary>
public static class TestHubConnections
{
    /// <summary>
    /// A connection to <paramref name="hubUrl"/> (<c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c>), not yet started.
    /// <paramref name="accessTokenProvider"/> is asked on every connect and reconnect; null or empty sends no token.
    /// With <paramref name="retry"/> the connection reconnects by that policy; without it, it stays closed.
    /// </summary>
    public static HubConnection Create(Uri hubUrl, Func<Task<string?>> accessTokenProvider, IRetryPolicy? retry = null)
    {
        var builder = new HubConnectionBuilder();
        builder.Services.AddSingleton<IConnectionFactory>(new WebSocketConnectionFactory(accessTokenProvider));
        builder.Services.AddSingleton<EndPoint>(new UriEndPoint(hubUrl));
        if (retry is not null)
        {
            builder.WithAutomaticReconnect(retry);
        }

        return builder.Build();
    }
}
