using System.Collections.Concurrent;
using Fanout.EndToEnd.Tests.Support;

namespace Fanout.EndToEnd.Tests;

public abstract class EventPathTests(StackLifetime fixture)
{
    private static string NewRoom(string name) => $"{name}:{Guid.NewGuid():N}"[..(name.Length + 13)];

    [Fact]
    public async Task ConcurrentPublishersOnTwoNodesAndTwoSequencersGetGaplessHistoryAndInOrderDelivery()
    {
        const int roomCount = 20;
        const int perRoom = 500;
        const int publishers = 10;
        var rooms = Enumerable.Range(0, roomCount).Select(i => NewRoom($"load{i}")).ToArray();

        // Two clients on each node, each subscribed to every room.
        var clients = new List<RecordingClient>();
        for (var node = 0; node < 2; node++)
        {
            for (var c = 0; c < 2; c++)
            {
                var client = await RecordingClient.ConnectAsync(fixture.Stack, node);
                foreach (var room in rooms)
                {
                    (await client.SubscribeAsync(room)).LastSeq.ShouldBe(0);
                }

                clients.Add(client);
            }
        }

        // Each publisher awaits every accept before its next publish, cycling over the rooms.
        var accepted = new ConcurrentDictionary<string, (int Publisher, int N, string Room)>();
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(p => Task.Run(async () =>
        {
            for (var n = 0; n < roomCount * perRoom / publishers; n++)
            {
                var room = rooms[(n + p) % roomCount];
                var id = await fixture.Ingest.PublishAsync(room, "load", new { p, n });
                accepted[id] = (p, n, room);
            }
        })));
        accepted.Count.ShouldBe(roomCount * perRoom);

        foreach (var room in rooms)
        {
            await fixture.Ingest.WaitForStoredAsync(room, perRoom);
            var (last, history) = await fixture.Ingest.ReadAllAsync(room);
            last.LastSeq.ShouldBe(perRoom);
            history.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, perRoom).Select(i => (long)i), $"history of {room}");
            history.Select(e => e.Id.ToString()).ShouldBe(accepted.Where(a => a.Value.Room == room).Select(a => a.Key), ignoreOrder: true);

            // One publisher's sequential publishes to a room are stored in the order it made them.
            foreach (var byPublisher in history.GroupBy(e => e.Data.GetProperty("p").GetInt32()))
            {
                var ns = byPublisher.Select(e => e.Data.GetProperty("n").GetInt32()).ToList();
                ns.ShouldBe(ns.Order().ToList(), $"publisher {byPublisher.Key} order in {room}");
            }
        }

        foreach (var client in clients)
        {
            foreach (var room in rooms)
            {
                await client.WaitForAsync(room, perRoom, TimeSpan.FromSeconds(60));
            }
        }

        // A marker after everything: once it arrived, so did every duplicate; every subscriber saw exactly 1..N in order.
        var markers = new Dictionary<string, string>();
        foreach (var room in rooms)
        {
            markers[room] = await fixture.Ingest.PublishAsync(room, "marker", "end");
        }

        foreach (var client in clients)
        {
            foreach (var room in rooms)
            {
                (await client.EventsUpToMarkerAsync(room, markers[room])).Select(e => e.Seq)
                    .ShouldBe(Enumerable.Range(1, perRoom).Select(i => (long)i), $"{client.UserId} in {room}");
            }

            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task RepeatedIdempotencyKeyIsStoredAndDeliveredOnce()
    {
        var room = NewRoom("idem");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        await client.SubscribeAsync(room);

        var first = await fixture.Ingest.PublishAsync(room, "order", new { v = 1 }, idempotencyKey: "order-7");
        var repeat = await fixture.Ingest.PublishAsync(room, "order", new { v = 2 }, idempotencyKey: "order-7");
        var other = await fixture.Ingest.PublishAsync(room, "order", new { v = 3 }, idempotencyKey: "order-8");

        repeat.ShouldBe(first);
        other.ShouldNotBe(first);
        await client.WaitForAsync(room, 2);
        var (last, history) = await fixture.Ingest.ReadAllAsync(room);
        last.LastSeq.ShouldBe(2);
        history.Select(e => e.Id.ToString()).ShouldBe([first, other]);
        history[0].Data.GetProperty("v").GetInt32().ShouldBe(1);

        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        (await client.EventsUpToMarkerAsync(room, marker)).Select(e => e.Id.ToString()).ShouldBe([first, other]);
    }

    [Fact]
    public async Task SubscribingWithAfterSeqReplaysWhatWasMissedThenGoesLive()
    {
        var room = NewRoom("replay");
        for (var i = 1; i <= 30; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", new { i });
        }

        await fixture.Ingest.WaitForStoredAsync(room, 30);
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        var result = await client.SubscribeAsync(room, afterSeq: 10);

        result.Recovered.ShouldBeTrue();
        result.Replayed.ShouldBe(20);
        result.LastSeq.ShouldBe(30);
        result.Epoch.ShouldNotBeNullOrEmpty();

        for (var i = 31; i <= 40; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", new { i });
        }

        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        (await client.EventsUpToMarkerAsync(room, marker)).Select(e => e.Seq).ShouldBe(Enumerable.Range(11, 30).Select(i => (long)i));
    }

    [Fact]
    public async Task ReplayRacingLivePublishesHasNoGapAndNoDuplicate()
    {
        var room = NewRoom("race");
        for (var i = 1; i <= 200; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", new { i });
        }

        await fixture.Ingest.WaitForStoredAsync(room, 200);
        using var publishing = new CancellationTokenSource();
        var published = 200;
        var publisher = Task.Run(async () =>
        {
            while (!publishing.IsCancellationRequested && published < 400)
            {
                await fixture.Ingest.PublishAsync(room, "msg", new { i = published + 1 });
                Interlocked.Increment(ref published);
            }
        });

        var clients = new List<RecordingClient>();
        for (var c = 0; c < 6; c++)
        {
            var client = await RecordingClient.ConnectAsync(fixture.Stack, c % 2);
            await client.SubscribeAsync(room, afterSeq: c * 20);
            clients.Add(client);
        }

        await publisher;
        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        for (var c = 0; c < clients.Count; c++)
        {
            var expected = Enumerable.Range((c * 20) + 1, 400 - (c * 20)).Select(i => (long)i).ToList();
            (await clients[c].EventsUpToMarkerAsync(room, marker)).Select(e => e.Seq).ShouldBe(expected, $"client {c} subscribed after {c * 20}");
            await clients[c].DisposeAsync();
        }
    }

    [Fact]
    public async Task AClientPublishTakesTheSamePathAndThePublisherReceivesItsOwnEvent()
    {
        var room = NewRoom("hubpub");
        await using var publisher = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await using var listener = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        await publisher.SubscribeAsync(room);
        await listener.SubscribeAsync(room);

        var result = await publisher.PublishAsync(room, "chat.message", new { text = "hello" });

        await publisher.WaitForAsync(room, 1);
        await listener.WaitForAsync(room, 1);
        publisher.Events(room).Single().Id.ToString().ShouldBe(result.Id);
        listener.Events(room).Single().Data.GetProperty("text").GetString().ShouldBe("hello");
        await fixture.Ingest.WaitForStoredAsync(room, 1);
        var (_, history) = await fixture.Ingest.ReadAllAsync(room);
        history.Single().Type.ShouldBe("chat.message");
    }

    [Fact]
    public async Task DataNestedAtTheDepthLimitIsAcceptedStoredAndDelivered()
    {
        var (deepRoom, clientRoom) = (NewRoom("deep"), NewRoom("deep61"));
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(clientRoom);
        static System.Text.Json.JsonElement Nested(int levels) =>
            System.Text.Json.JsonDocument.Parse(new string('[', levels) + "\"bottom\"" + new string(']', levels)).RootElement.Clone();

        // 64 levels (the limit) through HTTP into history. The stock .NET SignalR client reads at most 64 levels per
        // message, 3 of them the event's envelope, and drops its connection on more, so it gets 61 here (the
        // JavaScript client has no such limit: the Node end-to-end test receives 64).
        var atLimit = await fixture.Ingest.PublishAsync(deepRoom, "deep", Nested(64));
        var forDotnet = await fixture.Ingest.PublishAsync(clientRoom, "deep", Nested(61));

        await fixture.Ingest.WaitForStoredAsync(deepRoom, 1);
        var (_, history) = await fixture.Ingest.ReadAllAsync(deepRoom);
        history.Single().Id.ToString().ShouldBe(atLimit);
        history.Single().Data.GetRawText().ShouldBe(Nested(64).GetRawText());
        await client.WaitForAsync(clientRoom, 1);
        client.Events(clientRoom).Single().Id.ToString().ShouldBe(forDotnet);
        client.Events(clientRoom).Single().Data.GetRawText().ShouldBe(Nested(61).GetRawText());
    }
}

/// <summary>The tests above on the distributed stack (two sequencers, two nodes).</summary>
[Collection(SharedStackCollection.Name)]
public sealed class EventPathTestsDistributed(SharedStackFixture fixture) : EventPathTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedStackCollection.Name)]
public sealed class EventPathTestsEmbedded(EmbeddedStackFixture fixture) : EventPathTests(fixture);
