using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Wire;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

public sealed class PublishEventTests(IngestAppFixture fixture) : IClassFixture<IngestAppFixture>
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task AnAcceptedEventLandsInThePartitionQueueOfItsRoom()
    {
        var room = NewRoom();
        var before = DateTimeOffset.UtcNow;

        var response = await _client.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "chat.message", data = new { text = "hi" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var accepted = (await response.Content.ReadFromJsonAsync<PublishEventResponse>()).ShouldNotBeNull();
        accepted.Room.ShouldBe(room);
        var id = Guid.Parse(accepted.Id);
        id.Version.ShouldBe(7);

        var submitted = await fixture.Queues.WaitForAsync(room, id);
        submitted.Room.ShouldBe(room);
        submitted.Type.ShouldBe("chat.message");
        submitted.Data.GetRawText().ShouldBe("""{"text":"hi"}""");
        submitted.PublishedAt.ShouldBeInRange(before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task TheAnswerIsJsonWithIdAndRoomOnly()
    {
        var room = NewRoom();

        var response = await _client.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "t", data = 1 });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.EnumerateObject().Select(p => p.Name).ShouldBe(["id", "room"]);
    }

    [Fact]
    public async Task RepeatedIdempotencyKeyReturnsTheOriginalId()
    {
        var room = NewRoom();

        var first = await PublishWithKeyAsync(room, "order-42", """{"type":"t","data":{"n":1}}""");
        var repeat = await PublishWithKeyAsync(room, "order-42", """{"type":"other","data":{"n":2}}""");

        repeat.ShouldBe(first, "a repeat answers the original id even when its body differs");
        first.ShouldBe(EventIds.FromIdempotencyKey(room, "order-42"));
        (await fixture.Queues.WaitForAsync(room, first)).Id.ShouldBe(first);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyInAnotherRoomGivesAnotherId()
    {
        var first = await PublishWithKeyAsync(NewRoom(), "shared-key", """{"type":"t","data":1}""");
        var second = await PublishWithKeyAsync(NewRoom(), "shared-key", """{"type":"t","data":1}""");

        second.ShouldNotBe(first);
    }

    [Fact]
    public async Task EventsWithoutAKeyGetAFreshIdEachTime()
    {
        var room = NewRoom();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await _client.SendAsync(Post($"/v1/rooms/{room}/events", """{"type":"t","data":1}"""));
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            ids.Add((await response.Content.ReadFromJsonAsync<PublishEventResponse>())!.Id);
        }

        ids.Distinct().Count().ShouldBe(3);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    [InlineData("application/vnd.fanout.event+json")]
    [InlineData("application/cloudevents+json; charset=utf-8")]
    public async Task JsonMediaTypesWithUtf8OrNoCharsetAreAccepted(string contentType)
    {
        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", """{"type":"t","data":1}""", contentType));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("0")]
    [InlineData("\"text\"")]
    [InlineData("[]")]
    [InlineData("{\"nested\":{\"list\":[1,2.5,true,null,\"\\u00e9\\ud83d\\ude00\"]}}")]
    public async Task AnyJsonValueIsValidData(string data)
    {
        var room = NewRoom();

        var response = await _client.SendAsync(Post($"/v1/rooms/{room}/events", $$"""{"type":"t","data":{{data}}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DataIsSubmittedInCompactForm()
    {
        var room = NewRoom();

        var response = await _client.SendAsync(Post($"/v1/rooms/{room}/events", "{ \"type\" : \"t\",\n  \"data\" : { \"a\" : [ 1 , 2 ] ,\n \"b\" : \"x y\" } }"));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = Guid.Parse((await response.Content.ReadFromJsonAsync<PublishEventResponse>())!.Id);
        (await fixture.Queues.WaitForAsync(room, id)).Data.GetRawText().ShouldBe("""{"a":[1,2],"b":"x y"}""");
    }

    [Fact]
    public async Task DataOfExactlyTheSizeLimitIsAccepted()
    {
        var text = new string('x', 65_536 - 2);

        var response = await _client.PostAsJsonAsync($"/v1/rooms/{NewRoom()}/events", new { type = "t", data = text });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task DataNestedExactlyAtTheDepthLimitIsAccepted()
    {
        var data = new string('[', 64) + new string(']', 64);

        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", $$"""{"type":"t","data":{{data}}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private async Task<Guid> PublishWithKeyAsync(string room, string key, string body)
    {
        var request = Post($"/v1/rooms/{room}/events", body);
        request.Headers.Add("Idempotency-Key", key);
        var response = await _client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return Guid.Parse((await response.Content.ReadFromJsonAsync<PublishEventResponse>())!.Id);
    }
}
