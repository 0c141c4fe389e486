using System.Net;
using System.Net.Http.Json;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Every way to get <c>POST /v1/events</c> and <c>POST /v1/broadcast</c> wrong.</summary>
[Collection(RejectionCollection.Name)]
public sealed class BatchAndBroadcastRejectionTests(SmallBodyLimitFixture fixture)
{
    private readonly HttpClient _client = fixture.CreateClient();

    public static TheoryData<string, string, int?> BadBatches => new()
    {
        { "{}", "events is required: an array of 1-500 events", null },
        { """{"events":null}""", "events must be an array, not null", null },
        { """{"events":{}}""", "events must be an array, not an object", null },
        { """{"events":[]}""", "events has 0 items; send 1-500", null },
        { """{"events":[],"extra":1}""", "unknown property 'extra'; expected events", null },
        { """[]""", "The request body must be a JSON object, not an array", null },
        { """{"events":[1]}""", "events[0] must be a JSON object, not a number", 0 },
        { """{"events":[{"room":"a","type":"t","data":1},{"type":"t","data":1}]}""", "events[1].room: room is required", 1 },
        { """{"events":[{"room":"a","type":"t","data":1},{"room":"a\u0001b","type":"t","data":1}]}""", "events[1].room: room has a character outside", 1 },
        { """{"events":[{"room":".","type":"t","data":1}]}""", "events[0].room: room must not be '.' or '..'", 0 },
        { """{"events":[{"room":"..","type":"t","data":1}]}""", "events[0].room: room must not be '.' or '..'", 0 },
        { """{"events":[{"room":5,"type":"t","data":1}]}""", "events[0].room: room must be a string, not a number", 0 },
        { """{"events":[{"room":"a","type":"t t","data":1}]}""", "events[0].type: type has a character outside", 0 },
        { """{"events":[{"room":"a","type":"t"}]}""", "events[0].data: data is required", 0 },
        { """{"events":[{"room":"a","type":"t","data":"\ud800"}]}""", "events[0].data: data has a string that is not valid UTF-8 or contains a lone surrogate", 0 },
        { """{"events":[{"room":"a","type":"t","data":1,"idempotencyKey":""}]}""", "events[0].idempotencyKey: idempotency key must be 1-128 printable ASCII characters", 0 },
        { """{"events":[{"room":"a","type":"t","data":1,"idempotencyKey":7}]}""", "events[0].idempotencyKey: idempotencyKey must be a string", 0 },
        { """{"events":[{"room":"a","type":"t","data":1,"idempotencyKey":"\u00e9"}]}""", "events[0].idempotencyKey: idempotency key has a non-printable or non-ASCII character at position 0", 0 },
        { """{"events":[{"room":"a","type":"t","data":1,"key":"x"}]}""", "events[0] has an unknown property 'key'; expected room, type, data, idempotencyKey", 0 },
        { $$"""{"events":[{"room":"a","type":"t","data":1},{"room":"a","type":"t","data":{{new string('[', 65)}}{{new string(']', 65)}}}]}""", "events[1].data: data nests deeper than 64 levels", 1 },
        { $$"""{"events":[{"room":"a","type":"t","data":1},{"room":"a","type":"t","data":{{new string('[', 5_000)}}{{new string(']', 5_000)}}}]}""", "events[1].data: data nests deeper than 64 levels", 1 },
        { """{"events":[{"room":"a","type":"t","data":1}""", "The request body is not valid JSON", null },
    };

    public static TheoryData<string, string, int?> BadBroadcasts => new()
    {
        { """{"type":"t","data":1}""", "rooms is required: an array of 1-1000 room ids", null },
        { """{"rooms":"a","type":"t","data":1}""", "rooms must be an array, not a string", null },
        { """{"rooms":[],"type":"t","data":1}""", "rooms has 0 items; send 1-1000", null },
        { """{"rooms":["a","b","a"],"type":"t","data":1}""", "rooms[2]: room 'a' is already rooms[0]; list each room once", 2 },
        { """{"rooms":["a",null],"type":"t","data":1}""", "rooms[1]: a room id must be a string, not null", 1 },
        { """{"rooms":["a","b c"],"type":"t","data":1}""", "rooms[1]: room has a character outside", 1 },
        { """{"rooms":["a","."],"type":"t","data":1}""", "rooms[1]: room must not be '.' or '..'", 1 },
        { """{"rooms":["a\u0007"],"type":"t","data":1}""", "rooms[0]: room has a character outside", 0 },
        { """{"rooms":["a"],"type":"","data":1}""", "type is required", null },
        { """{"rooms":["a"],"type":"t"}""", "data is required", null },
        { """{"rooms":["a"],"type":"t","data":1,"idempotencyKey":"k"}""", "unknown property 'idempotencyKey'; expected rooms, type, data", null },
        { $$"""{"rooms":["a"],"type":"t","data":{{new string('[', 65)}}{{new string(']', 65)}}}""", "data nests deeper than 64 levels", null },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task AnInvalidBatchIs400NamingTheItem(string body, string detail, int? index)
    {
        var response = await _client.SendAsync(Post("/v1/events", body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
        AssertIndex(problem, index);
    }

    [Theory]
    [MemberData(nameof(BadBroadcasts))]
    public async Task AnInvalidBroadcastIs400NamingTheRoom(string body, string detail, int? index)
    {
        var response = await _client.SendAsync(Post("/v1/broadcast", body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
        AssertIndex(problem, index);
    }

    [Fact]
    public async Task ABatchOverFiveHundredEventsIs400()
    {
        var events = Enumerable.Range(0, 501).Select(i => new { room = "a", type = "t", data = i });

        var response = await _client.PostAsJsonAsync("/v1/events", new { events });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "events has 501 items; send 1-500");
    }

    [Fact]
    public async Task ABroadcastToOverAThousandRoomsIs400()
    {
        var rooms = Enumerable.Range(0, 1001).Select(i => $"r{i}");

        var response = await _client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = 1 });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "rooms has 1001 items; send 1-1000");
    }

    [Fact]
    public async Task AnItemWithDataOverTheDataLimitIs413WithItsIndex()
    {
        var events = new object[]
        {
            new { room = "a", type = "t", data = 1 },
            new { room = "a", type = "t", data = new string('x', 70_000) },
        };

        var response = await _client.PostAsJsonAsync("/v1/events", new { events });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "events[1].data: data is 70002 bytes as compact JSON; the limit is 65536");
        problem.GetProperty("index").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task BroadcastDataOverTheDataLimitIs413()
    {
        var response = await _client.PostAsJsonAsync("/v1/broadcast", new { rooms = new[] { "a" }, type = "t", data = new string('x', 70_000) });

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "data is 70002 bytes");
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/broadcast")]
    public async Task ABodyOverTheRequestLimitIs413(string path)
    {
        var events = Enumerable.Range(0, 5).Select(i => new { room = "a", type = "t", data = new string('x', 60_000) });
        var body = path == "/v1/events"
            ? System.Text.Json.JsonSerializer.Serialize(new { events })
            : System.Text.Json.JsonSerializer.Serialize(new { rooms = new[] { "a" }, type = "t", data = new string('x', SmallBodyLimitFixture.MaxRequestBytes) });

        var response = await _client.SendAsync(Post(path, body));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "the limit is 262144 (setting Ingest:MaxRequestBytes)");
    }

    [Theory]
    [InlineData("/v1/events")]
    [InlineData("/v1/broadcast")]
    public async Task ANonJsonBodyIs415(string path)
    {
        var response = await _client.SendAsync(Post(path, "rooms=a", "application/x-www-form-urlencoded"));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/v1/events", "give each event its own idempotencyKey")]
    [InlineData("/v1/broadcast", "broadcast events always get fresh ids")]
    public async Task AnIdempotencyKeyHeaderOnABatchOrBroadcastIs400(string path, string detail)
    {
        var request = Post(path, """{"events":[{"room":"a","type":"t","data":1}],"rooms":["a"]}""");
        request.Headers.Add("Idempotency-Key", "k");

        var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    private static void AssertIndex(System.Text.Json.JsonElement problem, int? index)
    {
        if (index is null)
        {
            problem.TryGetProperty("index", out _).ShouldBeFalse();
        }
        else
        {
            problem.GetProperty("index").GetInt32().ShouldBe(index.Value);
        }
    }
}
