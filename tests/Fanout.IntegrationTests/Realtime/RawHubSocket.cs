using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Fanout.Client;
using Fanout.Testing;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// A hub connection spoken by hand (JSON protocol over a bare WebSocket), for messages the .NET client will not
/// produce. Every send and receive is bounded by <see cref="Eventually.DefaultTimeout"/>.
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _received = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    private RawHubSocket()
    {
    }

    public static async Task<RawHubSocket> ConnectAsync(Uri hubUrl, string token)
    {
        var socket = new RawHubSocket();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await socket._socket.ConnectAsync(HubWebSockets.WebSocketUri(hubUrl, token), timeout.Token);
        await socket.SendAsync("""{"protocol":"json","version":1}""");
        var handshake = await socket.ReceiveRawAsync();
        if (handshake != "{}")
        {
            throw new InvalidOperationException($"Handshake refused: {handshake}");
        }

        return socket;
    }

    public async Task SendAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>The next message that is not a ping.</summary>
    public async Task<JsonElement> ReceiveAsync()
    {
        while (true)
        {
            using var document = JsonDocument.Parse(await ReceiveRawAsync());
            if (document.RootElement.GetProperty("type").GetInt32() != 6)
            {
                return document.RootElement.Clone();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception)
        {
            // Closing is a courtesy; the server cleans up either way.
        }

        _socket.Dispose();
    }

    private async Task<string> ReceiveRawAsync()
    {
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var text = _received.ToString();
            var end = text.IndexOf(RecordSeparator);
            if (end >= 0)
            {
                _received.Remove(0, end + 1);
                return text[..end];
            }

            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection: {result.CloseStatus} {result.CloseStatusDescription}");
            }

            var chars = new char[_decoder.GetCharCount(buffer, 0, result.Count)];
            _decoder.GetChars(buffer, 0, result.Count, chars, 0);
            _received.Append(chars);
        }
    }
}
