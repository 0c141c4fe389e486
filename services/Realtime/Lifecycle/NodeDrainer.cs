using Fanout.Realtime.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Lifecycle;

/// <summary>
/// Graceful stop of a realtime node. On SIGTERM, before anything else stops, the node turns not ready (load
/// balancers stop sending it clients), refuses new hub connections with 503, and sends every client a SignalR close
/// message with <see cref="CloseReason"/> and <c>allowReconnect: true</c> — in waves over the first half of
/// <see cref="DrainOptions.TimeoutMs"/> — so the client libraries reconnect at once to another node and recover from
/// history with their last seq. Whatever is still open at the end of the drain time is aborted; then the host stops.
/// <para>It runs as an <c>ApplicationStopping</c> callback registered at start: SignalR closes every connection
/// (without a reason) in its own <c>ApplicationStopping</c> callback, registered earlier when the hub was mapped, and
/// those callbacks run last-registered first, so the drain runs before it.</para>
/// </summary>
public sealed class NodeDrainer(
    DrainState state,
    NodeConnections connections,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    IOptions<DrainOptions> options,
    ILogger<NodeDrainer> logger)
    : IHostedService
{
    /// <summary>The close message's error text, which the client libraries match to reconnect at once.</summary>
    public const string CloseReason = "server shutting down";

    private const int Waves = 10;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Blocking here is deliberate: stopping waits for the drain, which is bounded by its timeout.
        lifetime.ApplicationStopping.Register(() => DrainAsync(CancellationToken.None).GetAwaiter().GetResult());
        return Task.CompletedTask;
    }

    /// <summary>Drains now if the node is stopped without <c>ApplicationStopping</c> (never twice).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => state.IsDraining ? Task.CompletedTask : DrainAsync(cancellationToken);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (state.IsDraining)
        {
            return;
        }

        state.Begin();
        var timeout = TimeSpan.FromMilliseconds(options.Value.TimeoutMs);
        var open = connections.Snapshot().Select(connection => connection.Context).ToList();
        RealtimeLog.Draining(logger, open.Count, timeout.TotalMilliseconds);
        var started = clock.GetUtcNow();

        var perWave = Math.Max(1, (int)Math.Ceiling(open.Count / (double)Waves));
        var pause = timeout / 2 / Waves;
        for (var i = 0; i < open.Count; i += perWave)
        {
            await Task.WhenAll(open.Skip(i).Take(perWave).Select(SendCloseAsync));
            if (i + perWave < open.Count && pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, clock, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        while (connections.Count > 0 && clock.GetUtcNow() - started < timeout && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), clock, CancellationToken.None);
        }

        var left = connections.Snapshot();
        foreach (var connection in left)
        {
            connection.Context.Abort();
        }

        RealtimeLog.Drained(logger, open.Count, left.Count, (clock.GetUtcNow() - started).TotalMilliseconds);
    }

    private static async Task SendCloseAsync(HubConnectionContext connection)
    {
        try
        {
            await connection.WriteAsync(new CloseMessage(CloseReason, allowReconnect: true));
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection ended meanwhile.
        }
    }
}
