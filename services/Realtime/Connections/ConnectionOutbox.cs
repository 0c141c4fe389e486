using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Fanout.Realtime.Connections;

/// <summary>
/// The bounded outgoing queue of one connection. <see cref="Enqueue"/> never waits for the client: a pump writes the
/// queue to the connection in order, one message at a time, and only the pump waits while SignalR's transport is
/// full (the client reads slower than the node sends). When the queue would pass a bound of
/// <see cref="SlowConsumerOptions"/>, the queued messages are dropped, the connection gets a close message with
/// error <see cref="SlowReason"/> (allowing reconnect; the client resubscribes with <c>afterSeq</c> and recovers
/// from history) and is aborted, after <see cref="SlowConsumerOptions.CloseTimeoutMs"/> at the latest.
/// </summary>
public sealed class ConnectionOutbox
{
    /// <summary>The close message's error for a connection that could not keep up.</summary>
    public const string SlowReason = "slow";

    private readonly HubConnectionContext _connection;
    private readonly SlowConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Entry> _queue = Channel.CreateUnbounded<Entry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _lock = new();
    private readonly Task _pump;
    private int _messages;
    private long _bytes;
    private bool _closed;
    private volatile bool _slow;

    public ConnectionOutbox(HubConnectionContext connection, SlowConsumerOptions options, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    public string ConnectionId => _connection.ConnectionId;

    public string? UserIdentifier => _connection.UserIdentifier;

    /// <summary>Groups this connection is in (guarded by the lifetime manager's group lock).</summary>
    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>True once the connection was found too slow.</summary>
    public bool IsSlow => _slow;

    /// <summary>
    /// Queues <paramref name="message"/> (its serialized bytes are shared by every connection of the same protocol).
    /// The task completes when the message was written, when <paramref name="awaitWritten"/>; else at once. A message
    /// to a closed or slow connection is dropped (completed), like a send to a connection that is gone.
    /// </summary>
    public Task Enqueue(SerializedHubMessage message, bool awaitWritten)
    {
        var bytes = message.GetSerializedMessage(_connection.Protocol).Length;
        var written = awaitWritten ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        int messages;
        long queuedBytes;
        lock (_lock)
        {
            if (_closed)
            {
                return Task.CompletedTask;
            }

            // A lone message larger than the byte bound still goes out: only a backlog makes a connection slow.
            if (_messages == 0 || (_messages < _options.MaxBufferedMessages && _bytes + bytes <= _options.MaxBufferedBytes))
            {
                _messages++;
                _bytes += bytes;
                _queue.Writer.TryWrite(new Entry(message, bytes, written));
                return written?.Task ?? Task.CompletedTask;
            }

            _closed = true;
            _slow = true;
            messages = _messages;
            queuedBytes = _bytes;
        }

        ConnectionsLog.SlowConsumerDisconnected(_logger, ConnectionId, messages, queuedBytes);
        Metrics.RealtimeMetrics.SlowConsumerDisconnected();
        _queue.Writer.TryComplete();
        _ = AbortAfterCloseTimeoutAsync();
        return Task.CompletedTask;
    }

    /// <summary>The connection ended: queued messages are dropped and the pump stops.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _closed = true;
        }

        _queue.Writer.TryComplete();
    }

    private async Task PumpAsync()
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync())
        {
            try
            {
                if (!_slow && !_connection.ConnectionAborted.IsCancellationRequested)
                {
                    await _connection.WriteAsync(entry.Message, CancellationToken.None);
                }
            }
            catch (Exception ex)
            {
                ConnectionsLog.WriteFailed(_logger, ex, ConnectionId);
            }
            finally
            {
                lock (_lock)
                {
                    _messages--;
                    _bytes -= entry.Bytes;
                }

                entry.Written?.TrySetResult();
            }
        }

        if (_slow)
        {
            // Written after whatever the transport still holds: a client that reads again gets it and reconnects.
            try
            {
                await _connection.WriteAsync(new CloseMessage(SlowReason, allowReconnect: true), CancellationToken.None);
            }
            catch (Exception ex)
            {
                ConnectionsLog.WriteFailed(_logger, ex, ConnectionId);
            }

            _connection.Abort();
        }
    }

    private async Task AbortAfterCloseTimeoutAsync()
    {
        await Task.WhenAny(_pump, Task.Delay(_options.CloseTimeoutMs));
        _connection.Abort();
    }

    private readonly record struct Entry(SerializedHubMessage Message, int Bytes, TaskCompletionSource? Written);
}
