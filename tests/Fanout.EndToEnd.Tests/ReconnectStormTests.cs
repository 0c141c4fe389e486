using System.Diagnostics;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;
using Xunit.Abstractions;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// A reconnect storm against one node: the hot cache must serve the replays, with O(1) PostgreSQL queries for the
/// room whatever the number of clients. The node logs each history query (event 2010, Debug for the reader), which
/// this test counts.
/// </summary>
public sealed class ReconnectStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 1_000;
    private const int Missed = 50;

    private FanoutStack _stack = null!;
    private IngestClient _ingest = null!;

    public async Task InitializeAsync()
    {
        _stack = await FanoutStack.StartAsync(new StackOptions
        {
            Sequencers = 1,
            RealtimeNodes = 1,
            Partitions = 4,
            Settings = new Dictionary<string, string> { ["Logging:LogLevel:Fanout.History.PostgresHistoryReader"] = "Debug" },
        });
        _ingest = new IngestClient(_stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task AThousandClientsMissingFiftyEventsReconnectAtOnceAndAllRecoverWithAFewHistoryQueries()
    {
        var room = $"storm:{Guid.NewGuid():N}"[..19];
        var clients = Enumerable.Range(0, Clients).Select(_ => new ResumableClient(_stack, room)).ToList();
        try
        {
            foreach (var chunk in clients.Chunk(100))
            {
                await Task.WhenAll(chunk.Select(c => c.ConnectAsync(0, TimeSpan.FromSeconds(60))));
            }

            await _ingest.PublishAsync(room, "before", 0);
            await Task.WhenAll(clients.Select(c => c.WaitForAsync(1, TimeSpan.FromSeconds(60))));
            await Task.WhenAll(clients.Select(c => c.DropAsync()));
            for (var i = 0; i < Missed; i++)
            {
                await _ingest.PublishAsync(room, "missed", i);
            }

            await _ingest.WaitForStoredAsync(room, 1 + Missed);
            var queriesBefore = CountRoomQueries(room);

            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(clients.Select(c => c.ConnectAsync(0, TimeSpan.FromSeconds(120))));
            clock.Stop();
            var queries = CountRoomQueries(room) - queriesBefore;

            output.WriteLine($"{Clients} clients missing {Missed} events each reconnected and recovered in {clock.ElapsedMilliseconds} ms " +
                $"with {queries} PostgreSQL history queries for the room");
            results.ShouldAllBe(r => r.Recovered && r.Replayed == Missed && r.Reason == null);
            foreach (var client in clients)
            {
                client.Events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 1 + Missed).Select(i => (long)i));
            }

            queries.ShouldBeLessThanOrEqualTo(5, "one position read when the room is created again, one load of the missed events");
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>History queries about <paramref name="room"/> the node logged so far (event 2010).</summary>
    private int CountRoomQueries(string room)
    {
        using var stream = new FileStream(_stack.Nodes[0].LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("\"EventId\":2010", StringComparison.Ordinal) && line.Contains(room, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
