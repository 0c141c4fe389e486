namespace Fanout.Messaging;

/// <summary>
/// Keeps a broker consumer alive: <paramref name="connectAsync"/> sets it up and returns a task that completes when it
/// is lost; then it is set up again. A failed set-up is retried after a pause that doubles from 200 ms to 5 s.
/// Returns when <paramref name="stoppingToken"/> is cancelled.
/// </summary>
public static class ReconnectLoop
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(
        Func<CancellationToken, Task<Task>> connectAsync,
        Action onLost,
        Func<Exception, TimeSpan, Task> onFailedAsync,
        CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var lost = await connectAsync(stoppingToken);
                delay = FirstDelay;
                await lost.WaitAsync(stoppingToken);
                onLost();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                await onFailedAsync(ex, delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, MaxDelay.TotalMilliseconds));
            }
        }
    }
}
