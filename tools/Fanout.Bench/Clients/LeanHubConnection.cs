using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Fanout.Client;
using Fanout.HubProtocol;

namespace Fanout.Bench.Clients;

/// <summary>
/// A minimal SignalR client for the bench: the JSON hub protocol over one WebSocket (<see cref="HubSocket"/>; no
/// negotiate, like the official client with SkipNegotiation), with only what a subscriber needs: invocations with a
/// result, the <c>event</c> messages, pings and the close message. It reads each record with <see cref="Utf8JsonReader"/>
/// straight from the receive buffer, so 20,000 deliveries/s to one process cost the bench a fraction of what the
/// official client costs (its per-message dispatch, reflection binding and task per handler). The contract it speaks is
/// the public one: docs/protocol.md.
/// </summary>
public sealed class LeanHubConnection : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Action<BenchEvent> _onEvent;
    private readonly Action<string?> _onClosed;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private HubSocket? _hub;
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
            var url = HubWebSockets.WebSocketUri(hubUrl, tokenIn == TokenPlacement.Query ? accessToken : null);
            var options = new HubSocketOptions { BearerToken = tokenIn == TokenPlacement.Header ? accessToken : null, ReceiveBufferSize = 8 * 1024 };
            var hub = connection._hub = await HubSocket.ConnectAsync(url, options, cancellationToken);
            connection._receiving = connection.ReceiveLoopAsync(hub);
            connection._pinger = new Timer(_ => _ = connection.PingQuietlyAsync(hub), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
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
        byte[] message = [.. JsonSerializer.SerializeToUtf8Bytes(new { type = 1, invocationId = id, target, arguments }, Json), HubRecords.RecordSeparator];
        var hub = _hub ?? throw new InvalidOperationException("not connected");
        await hub.SendAsync(message, WebSocketMessageType.Text, cancellationToken);
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

        if (_hub is { } hub)
        {
            // The close frame first, so the receive loop ends with the server's; then it is stopped in any case.
            await hub.CloseOutputAsync();
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

        if (_hub is { } disposed)
        {
            await disposed.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync(HubSocket hub)
    {
        string? error = null;
        try
        {
            do
            {
                while (hub.TryReadRecord(out var record))
                {
                    error ??= DispatchRecord(record);
                }
            }
            while (!_stop.IsCancellationRequested && await hub.ReceiveAsync(_stop.Token));
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

    private async Task PingQuietlyAsync(HubSocket hub)
    {
        try
        {
            if (hub.State == WebSocketState.Open && Volatile.Read(ref _closed) == 0)
            {
                await hub.PingAsync(_stop.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receive loop reports the close.
        }
    }
}
