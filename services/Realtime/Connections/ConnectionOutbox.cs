using Fanout.Realtime.Collections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Fanout.Realtime.Connections;

/// <summary>
/// The bounded outgoing queue of one connection. <see cref="Enqueue"/> never waits for the client. Messages are
/// written in order by one writer at a time: when nothing is being written, the caller writes at once on its own
/// thread (a write to a connection whose transport has room completes synchronously), so an idle connection costs no
/// extra thread-pool hop per message and holds no task while idle. Only when SignalR's transport is full (the client
/// reads slower than the node sends) does the writer go asynchronous; messages enqueued meanwhile wait in a queue and
/// that writer takes them in order. The queue exists only while such a backlog does, so a connection whose writes keep
/// up holds none. When the backlog would pass a bound of <see cref="SlowConsumerOptions"/>, the queued messages are
/// dropped, the connection gets a close message with error <see cref="SlowReason"/> (allowing reconnect; the client
/// resubscribes with <c>afterSeq</c> and recovers from history) and is aborted, after
/// <see cref="SlowConsumerOptions.CloseTimeoutMs"/> at the latest.
/// </summary>
public sealed class ConnectionOutbox
{
    /// <summary>The close message's error for a connection that could not keep up.</summary>
    public const string SlowReason = "slow";

    private readonly HubConnectionContext _connection;
    private readonly SlowConsumerOptions _options;
    private readonly Memory.OutboxBudget _budget;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Queue<Entry>? _backlog;
    private Task _writer = Task.CompletedTask;
    private int _writerGeneration;
    private int _messages;
    private long _bytes;
    private bool _writing;
    private bool _closed;
    private volatile bool _slow;

    public ConnectionOutbox(HubConnectionContext connection, SlowConsumerOptions options, Memory.OutboxBudget budget, ILogger logger)
    {
        _connection = connection;
        _options = options;
        _budget = budget;
        _logger = logger;
    }

    public string ConnectionId => _connection.ConnectionId;

    public string? UserIdentifier => _connection.UserIdentifier;

    /// <summary>Groups this connection is in (guarded by the lifetime manager's group lock).</summary>
    public SmallStringSet Groups { get; } = new();

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
        (int Messages, long Bytes)? backlog = null;
        Entry entry = default;
        int generation;
        lock (_lock)
        {
            if (_closed)
            {
                return Task.CompletedTask;
            }

            // A lone message larger than the byte bound still goes out: only a backlog makes a connection slow — its own
            // bounds, or the node's for all outboxes together.
            var accepted = _messages == 0
                ? Reserve(bytes)
                : _messages < _options.MaxBufferedMessages && _bytes + bytes <= _options.MaxBufferedBytes && _budget.TryReserve(bytes);
            if (accepted)
            {
                _messages++;
                _bytes += bytes;
                entry = new Entry(message, bytes, written);
                if (_writing)
                {
                    (_backlog ??= new Queue<Entry>()).Enqueue(entry);
                    return written?.Task ?? Task.CompletedTask;
                }

                _writing = true;
                generation = ++_writerGeneration;
            }
            else
            {
                backlog = (_messages, _bytes);
                generation = 0;
                _closed = true;
                _slow = true;
                DropQueued();
            }
        }

        if (backlog is { } slow)
        {
            ConnectionsLog.SlowConsumerDisconnected(_logger, ConnectionId, slow.Messages, slow.Bytes);
            Metrics.RealtimeMetrics.SlowConsumerDisconnected();
            _ = CloseAsSlowAsync();
            return Task.CompletedTask;
        }

        StartWriter(entry, generation);
        return written?.Task ?? Task.CompletedTask;
    }

    /// <summary>Closes the connection as slow from outside (a replay it does not take): what is queued is dropped.</summary>
    public void CloseAsSlow()
    {
        (int Messages, long Bytes) backlog;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            backlog = (_messages, _bytes);
            _closed = true;
            _slow = true;
            DropQueued();
        }

        ConnectionsLog.SlowConsumerDisconnected(_logger, ConnectionId, backlog.Messages, backlog.Bytes);
        Metrics.RealtimeMetrics.SlowConsumerDisconnected();
        _ = CloseAsSlowAsync();
    }

    /// <summary>Writes on this thread until a write would wait; remembers the writer for <see cref="CloseAsSlowAsync"/>.</summary>
    private void StartWriter(Entry first, int generation)
    {
        var writer = WriteQueuedAsync(first);
        if (!writer.IsCompleted)
        {
            lock (_lock)
            {
                // A later writer (a higher generation) can only start once this one is done: never overwrite it.
                if (_writerGeneration == generation)
                {
                    _writer = writer;
                }
            }
        }
    }

    /// <summary>The connection ended: queued messages are dropped.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _closed = true;
            DropQueued();
        }
    }

    /// <summary>
    /// Writes <paramref name="entry"/>, then the backlog until it is empty (and let go of). Starts on the thread of the
    /// <see cref="Enqueue"/> that found no writer and stays there as long as every write completes synchronously. Runs
    /// under <see cref="_writing"/>: one at a time.
    /// </summary>
    private async Task WriteQueuedAsync(Entry entry)
    {
        while (true)
        {
            try
            {
                if (!_slow && !Volatile.Read(ref _closed) && !_connection.ConnectionAborted.IsCancellationRequested)
                {
                    var write = _connection.WriteAsync(entry.Message, CancellationToken.None);
                    if (write.IsCompletedSuccessfully)
                    {
                        write.GetAwaiter().GetResult();
                    }
                    else
                    {
                        await write.ConfigureAwait(false);
                    }
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

                _budget.Release(entry.Bytes);

                entry.Written?.TrySetResult();
            }

            lock (_lock)
            {
                if (_backlog is null || !_backlog.TryDequeue(out entry))
                {
                    _backlog = null;
                    _writing = false;
                    return;
                }
            }
        }
    }

    private bool Reserve(int bytes)
    {
        _budget.Reserve(bytes);
        return true;
    }

    /// <summary>Under <see cref="_lock"/>: forgets what has not been written (its waiters complete).</summary>
    private void DropQueued()
    {
        while (_backlog is not null && _backlog.TryDequeue(out var entry))
        {
            _messages--;
            _bytes -= entry.Bytes;
            _budget.Release(entry.Bytes);
            entry.Written?.TrySetResult();
        }

        _backlog = null;
    }

    /// <summary>
    /// After the write in progress (if any), the close message goes out behind whatever the transport still holds (a
    /// client that reads again gets it and reconnects); the connection is aborted then, or after the close timeout.
    /// </summary>
    private async Task CloseAsSlowAsync()
    {
        Task writer;
        lock (_lock)
        {
            writer = _writer;
        }

        var closed = WriteCloseAsync(writer);
        await Task.WhenAny(closed, Task.Delay(_options.CloseTimeoutMs)).ConfigureAwait(false);
        _connection.Abort();
    }

    private async Task WriteCloseAsync(Task writer)
    {
        try
        {
            await writer.ConfigureAwait(false);
            await _connection.WriteAsync(new CloseMessage(SlowReason, allowReconnect: true), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ConnectionsLog.WriteFailed(_logger, ex, ConnectionId);
        }
    }

    private readonly record struct Entry(SerializedHubMessage Message, int Bytes, TaskCompletionSource? Written);
}
