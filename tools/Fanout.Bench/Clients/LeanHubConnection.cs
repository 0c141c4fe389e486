using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Fanout.Client;

namespace Fanout.Bench.Clients;

/// <summary>
/// A minimal SignalR client for the bench: the JSON hub protocol over one WebSocket (no negotiate, like the official
/// client with SkipNegotiation), with only what a subscriber needs: the handshake, invocations with a result, the
/// <c>event</c> messages, pings and the close message. It reads each frame with <see cref="Utf8JsonReader"/> straight
/// from the receive buffer, so 20,000 deliveries/s to one process cost the bench a fraction of what the official client
/// costs (its per-message dispatch, reflection binding and task per handler). The contract it speaks is the public one:
/// docs/protocol.md.
/// </summary>
public sealed class LeanHubConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ClientWebSocket _socket = new();
    private readonly Action<BenchEvent> _onEvent;
    private readonly Action<string?> _onClosed;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private Timer? _pinger;
    private int _nextInvocationId;
    private int _closed;

    private LeanHubConnection(Action<BenchEvent> onEvent, Action<string?> onClosed)
    {
        _onEvent = onEvent;
        _onClosed = onClosed;
    }

    /// <summary>Opens the WebSocket, does the handshake and starts receiving. <paramref name="onClosed"/> gets the close error, if any.</summary>
    public static async Task<LeanHubConnection> ConnectAsync(Uri hubUrl, string accessToken, TokenPlacement tokenIn, Action<BenchEvent> onEvent, Action<string?> onClosed,
        CancellationToken cancellationToken)
    {
        var connection = new LeanHubConnection(onEvent, onClosed);
        try
        {
            if (tokenIn == TokenPlacement.Header)
            {
                HubWebSockets.Authorize(connection._socket, accessToken);
            }

            var url = HubWebSockets.WebSocketUri(hubUrl, tokenIn == TokenPlacement.Query ? accessToken : null);
            await connection._socket.ConnectAsync(url, cancellationToken);
            await connection.SendAsync(Handshake, cancellationToken);
            var buffer = new ArrayBufferWriter<byte>(4096);
            var handshake = await connection.ReceiveRecordAsync(buffer, cancellationToken);
            if (handshake.Contains("\"error\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"handshake refused: {handshake}");
            }

            connection._receiving = connection.ReceiveLoopAsync(buffer);
            connection._pinger = new Timer(_ => _ = connection.SendQuietlyAsync(Ping), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Invokes a hub method and reads its result as <typeparamref name="T"/>; a hub error throws.</summary>
    public async Task<T> InvokeAsync<T>(string target, object?[] arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        byte[] message = [.. JsonSerializer.SerializeToUtf8Bytes(new { type = 1, invocationId = id, target, arguments }, Json), RecordSeparator];
        await SendAsync(message, cancellationToken);
        await using (cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken)))
        {
            var result = await completion.Task;
            return JsonSerializer.Deserialize<T>(result, Json) ?? throw new InvalidOperationException($"{target} returned null");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pinger is { } pinger)
        {
            await pinger.DisposeAsync();
        }

        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        await _stop.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receive loop ends with the socket.
        }

        _socket.Dispose();
        _sendLock.Dispose();
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(ArrayBufferWriter<byte> buffer)
    {
        string? error = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var memory = buffer.GetMemory(8192);
                var read = await _socket.ReceiveAsync(memory, _stop.Token);
                if (read.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                buffer.Advance(read.Count);
                if (read.EndOfMessage)
                {
                    error ??= Dispatch(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            error ??= _stop.IsCancellationRequested ? null : ex.Message;
        }
        finally
        {
            Close(error);
        }
    }

    /// <summary>Handles every record of one frame; returns the close message's error, if it held one.</summary>
    private string? Dispatch(ReadOnlySpan<byte> frame)
    {
        string? closeError = null;
        while (frame.Length > 0)
        {
            var end = frame.IndexOf(RecordSeparator);
            var record = end < 0 ? frame : frame[..end];
            frame = end < 0 ? default : frame[(end + 1)..];
            closeError ??= DispatchRecord(record);
        }

        return closeError;
    }

    private string? DispatchRecord(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        reader.Read();
        int type = 0;
        string? target = null, invocationId = null, error = null;
        byte[]? result = null;
        BenchEvent? firstArgument = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "type":
                    type = reader.GetInt32();
                    break;
                case "target":
                    target = reader.GetString();
                    break;
                case "invocationId":
                    invocationId = reader.GetString();
                    break;
                case "error":
                    error = reader.GetString();
                    break;
                case "result":
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    result = record[start..(int)reader.BytesConsumed].ToArray();
                    break;
                case "arguments" when reader.TokenType == JsonTokenType.StartArray:
                    if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        firstArgument = JsonSerializer.Deserialize<BenchEvent>(ref reader, Json);
                    }

                    while (reader.TokenType != JsonTokenType.EndArray || reader.CurrentDepth != 1)
                    {
                        reader.Read();
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        switch (type)
        {
            case 1 when target == "event" && firstArgument is not null:
                _onEvent(firstArgument);
                return null;
            case 3 when invocationId is not null && _pending.TryRemove(invocationId, out var completion):
                if (error is not null)
                {
                    completion.TrySetException(new InvalidOperationException(error));
                }
                else
                {
                    completion.TrySetResult(result ?? "null"u8.ToArray());
                }

                return null;
            case 7:
                return error ?? "closed by the server";
            default:
                return null;
        }
    }

    private void Close(string? error)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        foreach (var (_, completion) in _pending)
        {
            completion.TrySetException(new InvalidOperationException(error ?? "connection closed"));
        }

        _onClosed(error);
    }

    private async Task<string> ReceiveRecordAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await _socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
            if (read.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("closed during the handshake");
            }

            buffer.Advance(read.Count);
            var separator = buffer.WrittenSpan.IndexOf(RecordSeparator);
            if (separator >= 0)
            {
                var handshake = Encoding.UTF8.GetString(buffer.WrittenSpan[..separator]);
                var rest = buffer.WrittenSpan[(separator + 1)..].ToArray();
                buffer.ResetWrittenCount();
                if (rest.Length > 0)
                {
                    // Messages right behind the handshake are handled once the loop runs; keep them for it.
                    Dispatch(rest);
                }

                return handshake;
            }
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task SendQuietlyAsync(ReadOnlyMemory<byte> message)
    {
        try
        {
            if (_socket.State == WebSocketState.Open && Volatile.Read(ref _closed) == 0)
            {
                await SendAsync(message, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receive loop reports the close.
        }
    }
}
