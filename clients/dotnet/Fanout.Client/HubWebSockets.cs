using System.Net.WebSockets;

namespace Fanout.Client;

/// <summary>Hub URLs for raw WebSockets (tools and tests that speak the hub protocol frame by frame).</summary>
public static class HubWebSockets
{
    /// <summary>Sends <paramref name="accessToken"/>, when there is one, as <c>Authorization: Bearer</c> on the upgrade request.</summary>
    public static void Authorize(ClientWebSocket socket, string? accessToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!string.IsNullOrEmpty(accessToken))
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + accessToken);
        }
    }

    /// <summary><paramref name="hubUrl"/> with a <c>ws</c>/<c>wss</c> scheme.</summary>
    public static Uri WebSocketUri(Uri hubUrl) => WebSocketUri(hubUrl, accessToken: null);

    /// <summary>
    /// <paramref name="hubUrl"/> with a <c>ws</c>/<c>wss</c> scheme and <c>access_token</c> appended when there is one: the
    /// way a browser sends the token, which cannot set headers on a WebSocket.
    /// </summary>
    public static Uri WebSocketUri(Uri hubUrl, string? accessToken)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        var builder = new UriBuilder(hubUrl) { Scheme = IsSecure(hubUrl) ? "wss" : "ws", Port = hubUrl.IsDefaultPort ? -1 : hubUrl.Port };
        if (!string.IsNullOrEmpty(accessToken))
        {
            var query = builder.Query.TrimStart('?');
            builder.Query = (query.Length > 0 ? query + "&" : "") + "access_token=" + Uri.EscapeDataString(accessToken);
        }

        return builder.Uri;
    }

    /// <summary><paramref name="hubUrl"/> with an <c>http</c>/<c>https</c> scheme, as the SignalR client takes it.</summary>
    public static Uri HttpUri(Uri hubUrl)
    {
        ArgumentNullException.ThrowIfNull(hubUrl);
        return hubUrl.Scheme is "ws" or "wss"
            ? new UriBuilder(hubUrl) { Scheme = IsSecure(hubUrl) ? "https" : "http", Port = hubUrl.IsDefaultPort ? -1 : hubUrl.Port }.Uri
            : hubUrl;
    }

    private static bool IsSecure(Uri url) => url.Scheme is "https" or "wss";
}
