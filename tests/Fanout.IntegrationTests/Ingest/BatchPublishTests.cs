using System.Net;
using System.Net.Http.Json;
using Fanout.Contracts;
using Fanout.Contracts.Wire;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

public sealed class BatchPublishTests(IngestAppFixture fixture) : IClassFixture<IngestAppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task BatchIdsComeBackInRequestOrderAndEveryEventLandsInItsRoomsPartition()
    {
        var rooms = Enumerable.Range(0, 8).Select(i => NewRoom($"batch{i}")).ToList();
        var events = rooms.Select((room, i) => new { room, type = "t", data = new { i } }).ToList();

        var response = await _client.PostAsJsonAsync("/v1/events", new { events });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var ids = (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids.Select(Guid.Parse).ToList();
        ids.Count.ShouldBe(rooms.Count);
        ids.Distinct().Count().ShouldBe(rooms.Count);
        for (var i = 0; i < rooms.Count; i++)
        {
            var submitted = await fixture.Queues.WaitForAsync(rooms[i], ids[i]);
            submitted.Room.ShouldBe(rooms[i]);
            submitted.Data.GetProperty("i").GetInt32().ShouldBe(i);
        }
    }

    [Fact]
    public async Task EventsOfOneRoomInABatchKeepTheirOrderOnTheQueue()
    {
        var room = NewRoom();
        var events = Enumerable.Range(0, 20).Select(i => new { room, type = "t", data = i }).ToList();

        var response = await _client.PostAsJsonAsync("/v1/events", new { events });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var ids = (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids.Select(Guid.Parse).ToList();
        await fixture.Queues.WaitForAsync(room, ids[^1]);
        var queued = (await fixture.Queues.ReadAsync(SubmitQueueReader.PartitionOf(room))).Where(e => e.Room == room).ToList();
        queued.Select(e => e.Id).ShouldBe(ids);
        queued.Select(e => e.Data.GetInt32()).ShouldBe(Enumerable.Range(0, 20));
    }

    [Fact]
    public async Task ABatchItemKeyAndTheIdempotencyKeyHeaderShareOneScope()
    {
        var room = NewRoom();
        var other = NewRoom();
        var single = Post($"/v1/rooms/{room}/events", """{"type":"t","data":1}""");
        single.Headers.Add("Idempotency-Key", "k-1");
        var singleResponse = await _client.SendAsync(single);
        var singleId = (await singleResponse.Content.ReadFromJsonAsync<PublishEventResponse>())!.Id;

        var response = await _client.PostAsJsonAsync("/v1/events", new
        {
            events = new object[]
            {
                new { room, type = "t", data = 2, idempotencyKey = "k-1" },
                new { room = other, type = "t", data = 3, idempotencyKey = "k-1" },
                new { room, type = "t", data = 4, idempotencyKey = (string?)null },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var ids = (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids;
        ids[0].ShouldBe(singleId, "the same (room, key) is the same event, whichever route sent it");
        ids[1].ShouldNotBe(singleId, "a key is scoped to its room");
        Guid.Parse(ids[1]).ShouldBe(EventIds.FromIdempotencyKey(other, "k-1"));
        ids[2].ShouldNotBe(singleId);
    }

    [Fact]
    public async Task AnInvalidItemRejectsTheWholeBatchWithItsIndex()
    {
        var room = NewRoom();
        var keys = Enumerable.Range(0, 3).Select(i => $"all-or-nothing-{i}").ToList();
        var events = new List<object>(keys.Select(key => new { room, type = "t", data = 1, idempotencyKey = key }))
        {
            new { room = "bad room", type = "t", data = 1 },
            new { room, type = "t", data = 1 },
        };

        var response = await _client.PostAsJsonAsync("/v1/events", new { events });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "events[3].room: ");
        problem.GetProperty("index").GetInt32().ShouldBe(3);

        // Nothing of the batch was submitted: a later event of the same room lands with none of the keyed ones before it.
        var marker = await _client.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "marker", data = 0 });
        var markerId = Guid.Parse((await marker.Content.ReadFromJsonAsync<PublishEventResponse>())!.Id);
        await fixture.Queues.WaitForAsync(room, markerId);
        var refused = keys.Select(key => EventIds.FromIdempotencyKey(room, key)).ToHashSet();
        (await fixture.Queues.ReadAsync(SubmitQueueReader.PartitionOf(room))).ShouldNotContain(e => refused.Contains(e.Id));
    }

    [Fact]
    public async Task ABatchOfTheMaximumSizeIsAccepted()
    {
        var events = Enumerable.Range(0, BatchPublishRequest.MaxItems).Select(i => new { room = $"max-{i % 7}", type = "t", data = i });

        var response = await _client.PostAsJsonAsync("/v1/events", new { events });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids.Count.ShouldBe(BatchPublishRequest.MaxItems);
    }
}
