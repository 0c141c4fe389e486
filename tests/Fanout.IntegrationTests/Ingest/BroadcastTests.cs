using System.Net;
using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

public sealed class BroadcastTests(IngestAppFixture fixture) : IClassFixture<IngestAppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task ABroadcastGivesEveryRoomItsOwnEventWithAFreshId()
    {
        var rooms = Enumerable.Range(0, 6).Select(i => NewRoom($"bc{i}")).ToList();

        var response = await _client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "announcement", data = new { text = "maintenance" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var ids = (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids.Select(Guid.Parse).ToList();
        ids.Count.ShouldBe(rooms.Count);
        ids.Distinct().Count().ShouldBe(rooms.Count);
        for (var i = 0; i < rooms.Count; i++)
        {
            var submitted = await fixture.Queues.WaitForAsync(rooms[i], ids[i]);
            submitted.Room.ShouldBe(rooms[i]);
            submitted.Type.ShouldBe("announcement");
            submitted.Data.GetRawText().ShouldBe("""{"text":"maintenance"}""");
        }
    }

    [Fact]
    public async Task TheSameBroadcastTwiceGetsNewIds()
    {
        var rooms = new[] { NewRoom(), NewRoom() };

        var first = await _client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = 1 });
        var second = await _client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = 1 });

        var firstIds = (await first.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids;
        var secondIds = (await second.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids;
        firstIds.Intersect(secondIds).ShouldBeEmpty();
    }

    [Fact]
    public async Task ABroadcastToTheMaximumNumberOfRoomsIsAccepted()
    {
        var rooms = Enumerable.Range(0, BroadcastRequest.MaxRooms).Select(i => $"bcmax-{i}").ToList();

        var response = await _client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = (object?)null });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids.Count.ShouldBe(BroadcastRequest.MaxRooms);
    }
}
