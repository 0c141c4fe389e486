using Fanout.Bench.Metrics;
using Fanout.Bench.Results;
using Fanout.Bench.Settings;

namespace Fanout.Bench.Scenarios;

/// <summary>
/// What idle subscribed connections cost one node: its memory after a settle; then every connection to that node
/// (each its own user, spread evenly over the rooms), subscribed, settled, memory again; the probe events (one
/// second of publishing, so many per room) and whether each reached every connection of its room; memory; every
/// connection closed, settled, memory a last time. Unlike the other scenarios it opens and closes its session
/// itself, because it measures before the clients connect and after they are gone.
/// </summary>
public static class IdleConnectionsScenario
{
    public const string Name = "idle-connections";

    private static readonly TimeSpan ProbeDuration = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="settings"/>' <see cref="BenchSettings.IdleConnections"/>; <paramref name="opened"/> sees the session once every client is connected.</summary>
    public static async Task<BenchResult> RunAsync(BenchSettings settings, RunStatus status, Action<BenchSession>? opened = null,
        CancellationToken cancellationToken = default)
    {
        var idle = settings.IdleConnections;
        idle.Validate(settings.Nodes.Count);
        var node = idle.NodeProcess(settings.ServerPids);
        var nodeUrl = settings.Nodes[idle.NodeIndex];
        var metricsUrl = new Uri(nodeUrl, "/metrics");
        // With the API key: the embedded mode's /metrics (the node's, there) needs one; a realtime node ignores it.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.ApiKey);

        async Task<MemoryReading> SettleAndReadAsync(string what)
        {
            status.Enter(what, seconds: idle.SettleSeconds);
            await Task.Delay(TimeSpan.FromSeconds(idle.SettleSeconds), cancellationToken);
            return await MemoryReading.TakeAsync(node.Pid, metricsUrl, http, cancellationToken);
        }

        // Fails now, not after the first settle, when the pid cannot be read.
        await MemoryReading.TakeAsync(node.Pid, metricsUrl, http, cancellationToken);
        var before = await SettleAndReadAsync("settling before connecting");
        var session = await BenchSession.OpenAsync(SessionSettings(settings, nodeUrl), status, cancellationToken);
        BenchResult result;
        MemoryReading connected, afterProbe;
        double closingStartedMs;
        try
        {
            opened?.Invoke(session);
            connected = await SettleAndReadAsync($"settling with {session.Pool.Summary.Ok} connections");
            var probe = await session.MeasureAsync("probing", BenchSession.FirstMeasuredPhase, session.Settings.Rate, ProbeDuration,
                cancellationToken: cancellationToken);
            afterProbe = await MemoryReading.TakeAsync(node.Pid, metricsUrl, http, cancellationToken);
            result = ResultBuilder.Build(Name, session, probe);
        }
        finally
        {
            closingStartedMs = BenchClock.NowMs;
            await session.DisposeAsync();
        }

        var disconnectSeconds = Math.Round((BenchClock.NowMs - closingStartedMs) / 1000, 3);
        var after = await SettleAndReadAsync("settling after closing every connection");
        return result with
        {
            IdleConnections = new IdleConnectionsSummary(node.Label, nodeUrl, node.Pid, settings.TokenIn, idle.Connections, result.Connect.Ok,
                idle.SettleSeconds, disconnectSeconds, result.ExpectedDeliveries, result.Received, before, connected, afterProbe, after),
        };
    }

    /// <summary>Every client on the one node, the rooms filled in turn; the probe is the session's only publishing phase.</summary>
    private static BenchSettings SessionSettings(BenchSettings settings, Uri nodeUrl)
    {
        var idle = settings.IdleConnections;
        return settings with
        {
            Nodes = [nodeUrl],
            Rooms = idle.Rooms,
            ClientsPerRoom = idle.ConnectionsPerRoom,
            Rate = idle.Rooms * idle.ProbeEventsPerRoom / ProbeDuration.TotalSeconds,
            DurationSeconds = ProbeDuration.TotalSeconds,
            WarmupSeconds = 0,
        };
    }
}
