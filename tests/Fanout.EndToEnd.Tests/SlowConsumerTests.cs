using System.Net;
using System.Net.Http.Json;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;
using Xunit.Abstractions;

namespace Fanout.EndToEnd.Tests;

/// <summary>A client that stops reading its socket while a room's events flow (Realtime:SlowConsumer).</summary>
public sealed class SlowConsumerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int EventCount = 10_000;
    private const int BatchSize = 500;

    private FanoutStack _stack = null!;
    private IngestClient _ingest = null!;

    public async Task InitializeAsync()
    {
        _stack = await FanoutStack.StartAsync(new StackOptions
        {
            Sequencers = 1,
            RealtimeNodes = 1,
            Partitions = 2,
            Presence = false,
            Settings = new Dictionary<string, string> { ["Realtime:SlowConsumer:WriteStallTimeoutMs"] = "2000" },
        });
        _ingest = new IngestClient(_stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task AClientThatStopsReadingIsDisconnectedAsSlowWhileTheOthersInItsRoomGetEveryEventInOrder()
    {
        var room = $"slow:{Guid.NewGuid():N}"[..20];
        var node = _stack.Nodes[0];
        var pid = node.ProcessId ?? throw new InvalidOperationException("the node is not running");
        await using var normal = await RecordingClient.ConnectAsync(_stack, 0);
        await normal.SubscribeAsync(room);
        await using var stalled = await StalledHubSocket.ConnectAndSubscribeAsync(
            _stack.HubUrl(0), TestTokens.Create("stalled-user", FanoutStack.SigningKey), room);
        var baselineRss = RssBytes(pid);
        var peakRss = baselineRss;

        // 10,000 events of about 3 KB each (30 MB in all: well over the 8 MiB default bound plus kernel buffers),
        // published in batches while the node's memory is sampled. The reading client is kept within two batches of
        // the publisher (it reads as fast as it can; on a loaded machine it could otherwise fall 8 MiB behind and be
        // dropped as slow itself, rightly), so the stalled one's backlog is what grows.
        var pad = new string('x', 3_000);
        for (var start = 0; start < EventCount; start += BatchSize)
        {
            var caughtUp = Math.Max(0, start - BatchSize);
            await Eventually.HoldsAsync(() => normal.Events(room).Count >= caughtUp,
                $"the reading client keeps up (has {normal.Events(room).Count} of {caughtUp})", TimeSpan.FromMinutes(1));
            var events = Enumerable.Range(start, BatchSize).Select(i => new { room, type = "load", data = new { i, pad } }).ToArray();
            using var response = await _ingest.Http.PostAsJsonAsync("/v1/events", new { events });
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
            peakRss = Math.Max(peakRss, RssBytes(pid));
        }

        await Eventually.HoldsAsync(
            () =>
            {
                peakRss = Math.Max(peakRss, RssBytes(pid));
                return normal.Events(room).Count >= EventCount;
            },
            $"the reading client has all {EventCount} events (has {normal.Events(room).Count})",
            TimeSpan.FromMinutes(3));
        normal.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range(1, EventCount).Select(i => (long)i));

        // The node dropped the stalled connection as slow, and its memory did not follow the backlog (30 MB).
        await Eventually.HoldsAsync(
            () => ServiceLog.Lines(node).Any(l => l.Contains("is a slow consumer", StringComparison.Ordinal)),
            "the node logs the stalled connection as a slow consumer");
        var (closed, tail) = await stalled.DrainUntilClosedAsync(TimeSpan.FromSeconds(60));
        closed.ShouldBeTrue("the stalled connection is closed by the node");
        output.WriteLine($"RSS baseline {baselineRss / 1_048_576} MiB, peak {peakRss / 1_048_576} MiB; " +
            $"close message seen: {tail.Contains("\"error\":\"slow\"", StringComparison.Ordinal)}");
        (peakRss - baselineRss).ShouldBeLessThan(128L * 1_048_576, "node RSS growth while one client stalls");
        normal.Connection.State.ShouldBe(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected);
    }

    [Fact]
    public async Task AClientThatStallsWhileItsReplayIsWrittenIsClosedAsSlowAndTheNodeKeepsNothingForIt()
    {
        // 400 events of about 30 KB (12 MB: far more than the transport and kernel buffers hold) to replay.
        var room = $"stall:{Guid.NewGuid():N}"[..20];
        var node = _stack.Nodes[0];
        var pid = node.ProcessId ?? throw new InvalidOperationException("the node is not running");
        var pad = new string('y', 30_000);
        for (var start = 0; start < 400; start += 100)
        {
            var events = Enumerable.Range(start, 100).Select(i => new { room, type = "old", data = new { i, pad } }).ToArray();
            using var response = await _ingest.Http.PostAsJsonAsync("/v1/events", new { events });
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }

        await _ingest.WaitForStoredAsync(room, 400, TimeSpan.FromMinutes(2));
        await using var normal = await RecordingClient.ConnectAsync(_stack, 0);
        await normal.SubscribeAsync(room);
        var baselineRss = RssBytes(pid);

        // The client asks for everything after seq 0 and never reads; the room stays busy meanwhile.
        await using var stalled = await StalledHubSocket.ConnectAndStartReplayAsync(
            _stack.HubUrl(0), TestTokens.Create("stalled-replay", FanoutStack.SigningKey), room, afterSeq: 0);
        var live = 0;
        await Eventually.HoldsAsync(
            async () =>
            {
                await _ingest.PublishAsync(room, "live", new { n = ++live, pad });
                return ServiceLog.Lines(node).Any(l => l.Contains("closed as slow", StringComparison.Ordinal));
            },
            "the node closes the stalled replay as slow",
            TimeSpan.FromMinutes(2));

        var (closed, _) = await stalled.DrainUntilClosedAsync(TimeSpan.FromSeconds(60));
        closed.ShouldBeTrue("the stalled connection is closed by the node");
        (RssBytes(pid) - baselineRss).ShouldBeLessThan(128L * 1_048_576, "node RSS growth while the replay stalled");
        var marker = await _ingest.PublishAsync(room, "marker", "end");
        (await normal.EventsUpToMarkerAsync(room, marker)).Select(e => e.Seq).ShouldBe(Enumerable.Range(401, live).Select(i => (long)i));
    }

    /// <summary>The resident set of a process (<c>VmRSS</c> in <c>/proc/&lt;pid&gt;/status</c>), in bytes.</summary>
    private static long RssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
