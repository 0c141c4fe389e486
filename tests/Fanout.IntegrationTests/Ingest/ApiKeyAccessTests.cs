using System.Net;
using System.Net.Http.Json;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Keys stored as hashes, and the rooms a key may use.</summary>
[Collection(ApiKeyCollection.Name)]
public sealed class ApiKeyAccessTests(ApiKeyAppFixture fixture)
{
    private readonly HttpClient _chat = fixture.CreateClient(ApiKeyAppFixture.ChatKey);

    public static TheoryData<string, string> RoomRoutes => new()
    {
        { "POST", "/v1/rooms/{0}/events" },
        { "GET", "/v1/rooms/{0}/events" },
        { "DELETE", "/v1/rooms/{0}/events" },
        { "GET", "/v1/rooms/{0}/presence" },
        { "GET", "/v1/rooms/{0}/presence/stats" },
    };

    [Fact]
    public async Task AKeyConfiguredAsItsHashIsAccepted()
    {
        var room = NewRoom("chat");

        var response = await _chat.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "t", data = 1 });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        (await fixture.Queues.WaitForAsync(room, id)).Room.ShouldBe(room);
    }

    [Fact]
    public async Task AKeyConfiguredInPlainTextIsAccepted()
    {
        using var client = fixture.CreateClient(ApiKeyAppFixture.PlainKey);

        var response = await client.GetAsync($"/v1/rooms/{NewRoom()}/events");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheConfiguredHashIsNotItselfAKey()
    {
        using var client = fixture.CreateClient(IngestAppFixture.HashOf(ApiKeyAppFixture.ChatKey));

        var response = await client.GetAsync($"/v1/rooms/{NewRoom("chat")}/events");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "not valid");
    }

    [Fact]
    public async Task AKeyDifferingInOneCharacterAnswers401()
    {
        using var client = fixture.CreateClient(ApiKeyAppFixture.ChatKey[..^1] + "x");

        var response = await client.GetAsync($"/v1/rooms/{NewRoom("chat")}/events");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "not valid");
    }

    [Theory]
    [MemberData(nameof(RoomRoutes))]
    public async Task ARoomOutsideTheKeysPatternsAnswers403NamingTheRoom(string method, string route)
    {
        var room = NewRoom("billing");

        var response = await _chat.SendAsync(Request(method, string.Format(System.Globalization.CultureInfo.InvariantCulture, route, room)));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, $"This API key may not use room '{room}'");
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("chat:*, user:42");
        problem.TryGetProperty("index", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("chat:lobby")]
    [InlineData("chat:")]
    [InlineData("user:42")]
    public async Task RoomsMatchingTheKeysPatternsAreAllowed(string room)
    {
        var history = await _chat.GetAsync($"/v1/rooms/{room}/events");
        var publish = await _chat.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "t", data = 1 });

        history.StatusCode.ShouldBe(HttpStatusCode.OK);
        publish.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("user:421")]
    [InlineData("Chat:lobby")]
    [InlineData("xchat:lobby")]
    public async Task PatternsMatchWholeRoomIdsCaseSensitively(string room)
    {
        var response = await _chat.GetAsync($"/v1/rooms/{room}/events");

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, $"room '{room}'");
    }

    [Fact]
    public async Task AnInvalidRoomIsStill400BeforeThePermissionCheck()
    {
        var response = await _chat.GetAsync("/v1/rooms/bad%20room/events");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "room has a character outside");
    }

    [Fact]
    public async Task ABatchWithOneForbiddenRoomIsRefusedWholeNamingItsIndex()
    {
        var allowed = NewRoom("chat");
        var forbidden = NewRoom("billing");
        var body = new
        {
            events = new object[]
            {
                new { room = allowed, type = "t", data = 0 },
                new { room = "user:42", type = "t", data = 1 },
                new { room = forbidden, type = "t", data = 2 },
            },
        };

        var response = await _chat.PostAsJsonAsync("/v1/events", body);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, $"events[2].room: this API key may not use room '{forbidden}'");
        problem.GetProperty("index").GetInt32().ShouldBe(2);
        await ShouldHaveNothingSubmittedAsync(allowed);
    }

    [Fact]
    public async Task ABroadcastWithOneForbiddenRoomIsRefusedWholeNamingItsIndex()
    {
        var allowed = NewRoom("chat");
        var forbidden = NewRoom("user");

        var response = await _chat.PostAsJsonAsync("/v1/broadcast", new { rooms = new[] { allowed, forbidden }, type = "t", data = 1 });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, $"rooms[1]: this API key may not use room '{forbidden}'");
        problem.GetProperty("index").GetInt32().ShouldBe(1);
        await ShouldHaveNothingSubmittedAsync(allowed);
    }

    [Fact]
    public async Task BatchesAndBroadcastsWithinTheKeysRoomsAreAccepted()
    {
        var batch = await _chat.PostAsJsonAsync("/v1/events", new { events = new[] { new { room = NewRoom("chat"), type = "t", data = 1 } } });
        var broadcast = await _chat.PostAsJsonAsync("/v1/broadcast", new { rooms = new[] { NewRoom("chat"), "user:42" }, type = "t", data = 1 });

        batch.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        broadcast.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task NodesNeedsAKeyAllowedEveryRoom()
    {
        using var everyRoom = fixture.CreateClient();

        var limited = await _chat.GetAsync("/v1/nodes");
        var unlimited = await everyRoom.GetAsync("/v1/nodes");

        await limited.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "needs a key allowed every room");
        unlimited.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task ShouldHaveNothingSubmittedAsync(string room)
    {
        // Something submitted later to the same partition proves that the refused request submitted nothing before it.
        using var client = fixture.CreateClient();
        var marker = await client.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "marker", data = 0 });
        var id = (await marker.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        await fixture.Queues.WaitForAsync(room, id);
        var queued = await fixture.Queues.ReadAsync(SubmitQueueReader.PartitionOf(room));
        queued.Where(e => e.Room == room).Select(e => e.Type).ShouldBe(["marker"]);
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { type = "t", data = 1 });
        }

        return request;
    }
}
