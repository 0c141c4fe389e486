using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Client;

/// <summary>Real SignalR <see cref="HubConnection"/>s to a Fanout realtime node, over <see cref="WebSocketConnectionFactory"/>.</summary>
public static class FanoutHubConnections
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
        // The stock JSON hub protocol (the one the realtime nodes speak). Note: it reads at most 64 levels of JSON
        // nesting per message (its reader's default MaxDepth, not raised by PayloadSerializerOptions), so an event
        // whose data nests deeper than about 60 levels fails to parse on this client even where the server accepted it.
        builder.AddJsonProtocol();
        if (retry is not null)
        {
            builder.WithAutomaticReconnect(retry);
        }

        return builder.Build();
    }
}
