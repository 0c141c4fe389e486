using System.IO.Pipelines;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Fanout.Client;

/// <summary>
/// The transport for a real <c>HubConnection</c> (the package with SignalR's own WebSocket transport does not restore
/// here): connects a <see cref="ClientWebSocket"/> straight to the hub URL, without negotiate (as the official
/// client's <c>SkipNegotiation</c>), with the token from <paramref name="accessTokenProvider"/> asked on every connect so
/// a reconnect gets a fresh token. The token goes in <c>Authorization: Bearer</c>, not in the URL as a browser must send
/// it: a URL ends up in proxy and access logs, and the node holds the upgrade request's URL (several copies of it) for
/// as long as the connection lasts. A refused upgrade (401) throws a <see cref="WebSocketException"/> naming the status
/// code.
/// </summary>
public sealed class WebSocketConnectionFactory(Func<Task<string?>> accessTokenProvider) : IConnectionFactory
{
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var hubUrl = endpoint is UriEndPoint { Uri: var uri }
            ? uri
            : throw new NotSupportedException($"{nameof(WebSocketConnectionFactory)} connects to a {nameof(UriEndPoint)}, not {endpoint.GetType().Name}.");
        var socket = new ClientWebSocket();
        try
        {
            Authorize(socket, await accessTokenProvider());
            await socket.ConnectAsync(WebSocketUri(hubUrl), cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new WebSocketConnection(WebSocketStream.Create(socket, WebSocketMessageType.Text, ownsWebSocket: true));
    }

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
        var builder = new UriBuilder(hubUrl)
        {
            Scheme = hubUrl.Scheme switch
            {
                "https" or "wss" => "wss",
                _ => "ws",
            },
        };
        if (!string.IsNullOrEmpty(accessToken))
        {
            var query = builder.Query.TrimStart('?');
            builder.Query = (query.Length > 0 ? query + "&" : "") + "access_token=" + Uri.EscapeDataString(accessToken);
        }

        return builder.Uri;
    }

    /// <summary>A connection that is its own duplex pipe over the WebSocket stream.</summary>
    private sealed class WebSocketConnection : ConnectionContext, IDuplexPipe
    {
        private readonly Stream _stream;

        public WebSocketConnection(Stream stream)
        {
            _stream = stream;
            Input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        }

        public PipeReader Input { get; }

        public PipeWriter Output { get; }

        public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport
        {
            get => this;
            set => throw new NotSupportedException("The transport of a WebSocket connection is fixed.");
        }

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await Output.CompleteAsync();
            }
            catch (Exception)
            {
                // Completing flushes; on a socket that is already gone that throws, and there is nothing left to flush to.
            }

            await Input.CompleteAsync();
            await _stream.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
