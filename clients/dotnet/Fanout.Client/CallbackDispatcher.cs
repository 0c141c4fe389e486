using System.Threading.Channels;

namespace Fanout.Client;

/// <summary>
/// The one loop that runs every application callback (room handlers and client events), one at a time, in the order
/// they were posted — so a handler never sees a room's events out of order or two at once, and no callback runs on a
/// connection's own threads. A callback that throws is reported to <c>onError</c> and the loop goes on.
/// </summary>
internal sealed class CallbackDispatcher : IAsyncDisposable
{
    private static readonly AsyncLocal<CallbackDispatcher?> Running = new();
    private readonly Channel<(Action Callback, string? Room)> _queue =
        Channel.CreateUnbounded<(Action, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<Exception, string?> _onError;
    private readonly Task _loop;

    /// <param name="onError">Called on the loop with what a callback threw and its room; its own exceptions are dropped.</param>
    public CallbackDispatcher(Action<Exception, string?> onError)
    {
        _onError = onError;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="callback"/>; dropped once the dispatcher is disposed.</summary>
    public void Post(Action callback, string? room = null) => _queue.Writer.TryWrite((callback, room));

    /// <summary>Runs what was queued, then stops. Called from a callback, it does not wait for the loop (it is on it).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (Running.Value != this)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        Running.Value = this;
        await foreach (var (callback, room) in _queue.Reader.ReadAllAsync())
        {
            try
            {
                callback();
            }
            catch (Exception ex)
            {
                try
                {
                    _onError(ex, room);
                }
                catch (Exception)
                {
                    // An error handler that throws has nowhere left to report to.
                }
            }
        }
    }
}
