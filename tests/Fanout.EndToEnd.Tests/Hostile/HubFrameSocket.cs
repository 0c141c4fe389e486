using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Fanout.Client;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>
/// A hub connection spoken byte by byte (JSON protocol over a bare WebSocket, as the integration tests' RawHubSocket,
/// but able to send any bytes: invalid UTF-8, binary frames, unterminated messages). Every wait is bounded.
/// </summary>
public sealed class HubFrameSocket : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly List<byte> _received = [];

    private HubFrameSocket()
    {
    }

    /// <summary>Text of every close message (type 7) the node sent, and whether the socket is closed.</summary>
    public List<string> CloseMessages { get; } = [];

    public bool IsClosed { get; private set; }

    /// <summary>Every message the node sent after the handshake, as text.</summary>
    public List<string> Received { get; } = [];

    public static async Task<HubFrameSocket> ConnectAsync(Uri hubUrl, string token)
    {
        var socket = new HubFrameSocket();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await socket._socket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), timeout.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"protocol":"json","version":1}""" + RecordSeparator));
        var handshake = await socket.ReceiveMessageAsync();
        if (handshake != "{}")
        {
            throw new InvalidOperationException($"Handshake refused: {handshake}");
        }

        return socket;
    }

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public Task InvokeAsync(string invocationId, string target, string argumentsJson) =>
        SendAsync(Encoding.UTF8.GetBytes(
            $$"""{"type":1,"invocationId":"{{invocationId}}","target":"{{target}}","arguments":{{argumentsJson}}}""" + RecordSeparator));

    /// <summary>
    /// The completion (type 3) of <paramref name="invocationId"/>, skipping pings and server invocations; null when the
    /// node closed the connection first (its close message is then in <see cref="CloseMessages"/>).
    /// </summary>
    public async Task<JsonElement?> CompletionAsync(string invocationId, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        while (true)
        {
            var text = await ReceiveMessageAsync(deadline.Token);
            if (text is null)
            {
                return null;
            }

            Received.Add(text);
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetInt32();
            if (type == 7)
            {
                CloseMessages.Add(text);
                continue;
            }

            if (type == 3 && root.TryGetProperty("invocationId", out var id) && id.GetString() == invocationId)
            {
                return root.Clone();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!IsClosed)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception)
        {
            // Closing is a courtesy; the node cleans up either way.
        }

        _socket.Dispose();
    }

    /// <summary>The next whole message's text, or null once the connection is closed.</summary>
    private async Task<string?> ReceiveMessageAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Eventually.DefaultTimeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var end = _received.IndexOf((byte)RecordSeparator);
            if (end >= 0)
            {
                var text = Encoding.UTF8.GetString(_received.GetRange(0, end).ToArray());
                _received.RemoveRange(0, end + 1);
                return text;
            }

            if (IsClosed)
            {
                return null;
            }

            try
            {
                var result = await _socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    IsClosed = true;
                    continue;
                }

                _received.AddRange(buffer.AsSpan(0, result.Count).ToArray());
            }
            catch (WebSocketException)
            {
                IsClosed = true;
            }
        }
    }
}
