using System.Net;
using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// Concurrent publishers into one partition, where Ingest's group commit makes their events share broker messages:
/// every accepted event is in the queue exactly once, and each publisher's events keep the order it published them in.
/// </summary>
public sealed class ConcurrentPublishTests(IngestAppFixture fixture) : ConcurrentPublishChecks(fixture), IClassFixture<IngestAppFixture>;

/// <summary>The same with two submission messages in flight per partition (<c>Submitter:MaxMessagesInFlight</c> = 2).</summary>
public sealed class ConcurrentPublishTwoInFlightTests(TwoInFlightIngestAppFixture fixture)
    : ConcurrentPublishChecks(fixture), IClassFixture<TwoInFlightIngestAppFixture>;

public abstract class ConcurrentPublishChecks(IngestAppFixture fixture)
{
    private const int Publishers = 6;
    private const int EventsEach = 40;

    [Fact]
    public async Task PublishersSharingAPartitionEachFindEveryEventOnceAndInTheirOrder()
    {
        var rooms = RoomsOfOnePartition(Publishers);
        var partition = SubmitQueueReader.PartitionOf(rooms[0]);

        var accepted = await Task.WhenAll(rooms.Select(PublishOneByOneAsync));

        await fixture.Queues.WaitForAsync(rooms[^1], accepted[^1][^1]);
        foreach (var (room, ids) in rooms.Zip(accepted))
        {
            await fixture.Queues.WaitForAsync(room, ids[^1]);
            var queued = (await fixture.Queues.ReadAsync(partition)).Where(e => e.Room == room).ToList();
            queued.Select(e => e.Id).ShouldBe(ids, $"room {room}: each accepted event once, in publish order");
            queued.Select(e => e.Data.GetInt32()).ShouldBe(Enumerable.Range(0, EventsEach));
        }
    }

    /// <summary>One publisher: each event after the previous one was accepted (so it must be sequenced after it).</summary>
    private async Task<List<Guid>> PublishOneByOneAsync(string room)
    {
        using var client = fixture.CreateClient();
        var ids = new List<Guid>(EventsEach);
        for (var i = 0; i < EventsEach; i++)
        {
            var response = await client.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "t", data = i });
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            ids.Add(Guid.Parse((await response.Content.ReadFromJsonAsync<PublishEventResponse>())!.Id));
        }

        return ids;
    }

    private static List<string> RoomsOfOnePartition(int count)
    {
        var first = NewRoom("concurrent");
        var partition = SubmitQueueReader.PartitionOf(first);
        var rooms = new List<string> { first };
        while (rooms.Count < count)
        {
            var room = NewRoom("concurrent");
            if (SubmitQueueReader.PartitionOf(room) == partition)
            {
                rooms.Add(room);
            }
        }

        return rooms;
    }
}
