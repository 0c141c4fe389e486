using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Client;

/// <summary>SignalR <see cref="HubConnection"/>s to a Fanout realtime node over the official client's WebSocket transport.</summary>
public static class FanoutHubConnections
{
    /// <summary>
    /// A connection to <paramref name="hubUrl"/> (<c>http</c>, <c>https</c>, <c>ws</c> or <c>wss</c>), not yet started: a
    /// WebSocket straight to the hub URL, without a negotiate request (the nodes accept that, and it saves a round trip
    /// on every reconnect). <paramref name="accessTokenProvider"/> is asked on every connect and reconnect, so a
    /// reconnect gets a fresh token; null or empty sends no token. The token goes in <c>Authorization: Bearer</c>, not
    /// in the URL as a browser must send it: a URL ends up in proxy and access logs. With <paramref name="retry"/> the
    /// connection reconnects by that policy; without it, it stays closed.
    /// </summary>
    public static HubConnection Create(Uri hubUrl, Func<Task<string?>> accessTokenProvider, IRetryPolicy? retry = null)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        var builder = new HubConnectionBuilder()
            .WithUrl(HubWebSockets.HttpUri(hubUrl), HttpTransportType.WebSockets, options =>
            {
                options.SkipNegotiation = true;
                options.AccessTokenProvider = accessTokenProvider;
            });
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
