namespace Fanout.Sequencer.Committing;

/// <summary>Pauses between retries: 50 ms, doubled after each, up to <see cref="SequencerOptions.MaxRetryDelayMs"/>.</summary>
public sealed class RetryBackoff(TimeSpan max)
{
    private TimeSpan _next = TimeSpan.FromMilliseconds(50);

    /// <summary>The pause the next <see cref="WaitAsync"/> takes.</summary>
    public TimeSpan Next => _next;

    /// <summary>Waits <see cref="Next"/> (not cut short by stopping: the caller checks for that), then doubles it.</summary>
    public async Task WaitAsync()
    {
        await Task.Delay(_next, CancellationToken.None);
        _next = TimeSpan.FromMilliseconds(Math.Min(_next.TotalMilliseconds * 2, max.TotalMilliseconds));
    }
}
