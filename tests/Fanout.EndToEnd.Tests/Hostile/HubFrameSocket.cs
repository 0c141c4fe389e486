using System.Net.WebSockets;
using System.Text.Json;
using Fanout.Client;
using Fanout.HubProtocol;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>
/// A hub connection spoken byte by byte (<see cref="HubSocket"/>): it sends any bytes (invalid UTF-8, binary frames,
/// unterminated messages) and records every message the node sends back. Every wait is bounded.
/// </summary>
public sealed class HubFrameSocket : IAsyncDisposable
{
    private readonly HubSocket _hub;

    private HubFrameSocket(HubSocket hub) => _hub = hub;

    /// <summary>Text of every close message (type 7) the node sent.</summary>
    public List<string> CloseMessages { get; } = [];

    /// <summary>Whether the WebSocket is closed (by the node, or broken).</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Every message the node sent after the handshake, as text.</summary>
    public List<string> Received { get; } = [];

    public static async Task<HubFrameSocket> ConnectAsync(Uri hubUrl, string token)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        return new HubFrameSocket(await HubSocket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), new HubSocketOptions { ReceiveBufferSize = 64 * 1024 }, timeout.Token));
    }

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _hub.SendAsync(bytes, type, timeout.Token);
    }

    public async Task InvokeAsync(string invocationId, string target, string argumentsJson)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _hub.InvokeAsync(invocationId, target, argumentsJson, timeout.Token);
    }

    public async Task PingAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _hub.PingAsync(timeout.Token);
    }

    /// <summary>
    /// The completion (type 3) of <paramref name="invocationId"/>, skipping pings and server invocations; null when the
    /// node closed the connection first (its close message is then in <see cref="CloseMessages"/>).
    /// </summary>
    public async Task<JsonElement?> CompletionAsync(string invocationId, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        while (await ReceiveMessageAsync(deadline.Token) is { } text)
        {
            Received.Add(text);
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetInt32();
            if (type == 7)
            {
                CloseMessages.Add(text);
            }
            else if (type == 3 && root.TryGetProperty("invocationId", out var id) && id.GetString() == invocationId)
            {
                return root.Clone();
            }
        }

        return null;
    }

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    /// <summary>The next whole message's text, or null once the connection is closed.</summary>
    private async Task<string?> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            return _hub.TryReadRecord(out var left) ? System.Text.Encoding.UTF8.GetString(left) : null;
        }

        try
        {
            var text = await _hub.ReceiveRecordAsync(cancellationToken);
            IsClosed = text is null;
            return text;
        }
        catch (WebSocketException)
        {
            IsClosed = true;
            return _hub.TryReadRecord(out var left) ? System.Text.Encoding.UTF8.GetString(left) : null;
        }
    }
}
