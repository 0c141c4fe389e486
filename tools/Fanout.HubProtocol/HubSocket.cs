using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;

namespace Fanout.HubProtocol;

/// <summary>
/// One hub connection spoken by hand: the SignalR JSON hub protocol (<see cref="HubRecords"/>) over a bare WebSocket,
/// for what the official clients will not do (send any bytes, stop reading, read with no allocation per message).
/// It does the handshake and the framing; what to send and how to read the records is the caller's. Sends may come
/// from several tasks at once (they take turns); receives from one at a time.
/// </summary>
public sealed class HubSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly RecordBuffer _received;
    private readonly int _receiveChunk;

    private HubSocket(int receiveBufferSize)
    {
        _received = new RecordBuffer(receiveBufferSize);
        _receiveChunk = Math.Min(receiveBufferSize, 8 * 1024);
    }

    /// <summary>Whether the server closed the WebSocket (a receive returned its close frame).</summary>
    public bool IsClosed { get; private set; }

    /// <summary>The server's close status and description, once <see cref="IsClosed"/>.</summary>
    public string? CloseReason { get; private set; }

    public WebSocketState State => _socket.State;

    /// <summary>
    /// Opens the WebSocket to <paramref name="webSocketUrl"/> (ws/wss, with <c>access_token</c> in it when the token goes
    /// there) and does the handshake; a refused handshake throws with the server's answer. Records that arrive right
    /// behind the handshake response stay for <see cref="TryReadRecord"/>.
    /// </summary>
    public static async Task<HubSocket> ConnectAsync(Uri webSocketUrl, HubSocketOptions? options, CancellationToken cancellationToken)
    {
        options ??= new HubSocketOptions();
        var hub = new HubSocket(options.ReceiveBufferSize);
        try
        {
            if (!string.IsNullOrEmpty(options.BearerToken))
            {
                hub._socket.Options.SetRequestHeader("Authorization", "Bearer " + options.BearerToken);
            }

            await hub._socket.ConnectAsync(webSocketUrl, options.Invoker, cancellationToken);
            await hub.SendRecordAsync(HubRecords.HandshakeRequest, cancellationToken);
            var handshake = await hub.ReceiveRecordAsync(cancellationToken)
                ?? throw new InvalidOperationException($"The server closed the connection during the handshake: {hub.CloseReason}");
            if (handshake != HubRecords.HandshakeAccepted)
            {
                throw new InvalidOperationException($"Handshake refused: {handshake}");
            }

            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="bytes"/> as one WebSocket message, as they are (any framing, any bytes).</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends <paramref name="json"/> as one record (the separator appended).</summary>
    public Task SendRecordAsync(string json, CancellationToken cancellationToken) =>
        SendAsync(HubRecords.Frame(json), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends an invocation (type 1) of <paramref name="target"/>; its completion comes back as a record with the same id.</summary>
    public Task InvokeAsync(string invocationId, string target, string argumentsJson, CancellationToken cancellationToken) =>
        SendRecordAsync(HubRecords.Invocation(invocationId, target, argumentsJson), cancellationToken);

    /// <summary>Sends a ping (type 6).</summary>
    public Task PingAsync(CancellationToken cancellationToken) => SendAsync(HubRecords.Ping, WebSocketMessageType.Text, cancellationToken);

    /// <summary>
    /// The next record already received, without its separator; valid until the next receive. Read every record after
    /// each <see cref="ReceiveAsync"/>.
    /// </summary>
    public bool TryReadRecord(out ReadOnlySpan<byte> record) => _received.TryRead(out record);

    /// <summary>
    /// Receives one WebSocket message (text or binary) into the buffer of records; false when the server closed the
    /// WebSocket instead (<see cref="IsClosed"/>). Allocates nothing once the buffer is as large as the largest message.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _socket.ReceiveAsync(_received.GetMemory(_receiveChunk), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                IsClosed = true;
                CloseReason = $"{_socket.CloseStatus} {_socket.CloseStatusDescription}".Trim();
                return false;
            }

            _received.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return true;
            }
        }
    }

    /// <summary>The next record as text, receiving as needed; null once the server closed the WebSocket.</summary>
    public async Task<string?> ReceiveRecordAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryReadRecordText(out var text))
            {
                return text;
            }

            if (IsClosed || !await ReceiveAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>Drops the connection at once, without a close handshake.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>
    /// Sends the close frame when the WebSocket is open (output only: a receive in progress goes on until the server's
    /// close frame ends it). A courtesy: gives up after two seconds, and a broken socket is no error.
    /// </summary>
    public async Task CloseOutputAsync()
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing is a courtesy; the server cleans up either way.
            }
        }
    }

    /// <summary><see cref="CloseOutputAsync"/>, then releases the WebSocket.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseOutputAsync();
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private bool TryReadRecordText(out string text)
    {
        if (TryReadRecord(out var record))
        {
            text = Encoding.UTF8.GetString(record);
            return true;
        }

        text = "";
        return false;
    }
}
