using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Fanout.Testing;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Each key has its own token bucket (here: bursts of 3, one request per second).</summary>
[Collection(ApiKeyCollection.Name)]
public sealed class ApiKeyRateLimitTests(ApiKeyAppFixture fixture)
{
    /// <summary>More than a burst and whatever refills while they are sent: a 429 must come within these.</summary>
    private const int Flood = 30;

    [Fact]
    public async Task AKeyOverItsLimitAnswers429WithRetryAfterUntilItRefills()
    {
        using var client = fixture.CreateClient(ApiKeyAppFixture.LimitedKey);
        var room = NewRoom();

        var (accepted, refused) = await FloodAsync(client, room);

        accepted.ShouldBeGreaterThanOrEqualTo(ApiKeyAppFixture.Burst, "the bucket starts full");
        await refused.ShouldNotBeNull("a 429 within the flood").ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "over its rate limit of 1 requests per second");
        refused.Headers.RetryAfter.ShouldNotBeNull().Delta.ShouldNotBeNull().TotalSeconds.ShouldBeInRange(1, 2);
        await Eventually.HoldsAsync(
            async () => (await client.GetAsync($"/v1/rooms/{room}/events")).StatusCode == HttpStatusCode.OK,
            "the key is served again once its bucket refills", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OneKeysFloodDoesNotLimitAnotherKey()
    {
        using var flooder = fixture.CreateClient(ApiKeyAppFixture.FloodKey);
        using var neighbour = fixture.CreateClient(ApiKeyAppFixture.NeighbourKey);
        var room = NewRoom();

        var (_, refused) = await FloodAsync(flooder, room);
        refused.ShouldNotBeNull("the flooding key is limited").StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);

        for (var i = 0; i < ApiKeyAppFixture.Burst; i++)
        {
            (await neighbour.GetAsync($"/v1/rooms/{room}/events")).StatusCode.ShouldBe(HttpStatusCode.OK, $"request {i} of the other key");
        }
    }

    [Fact]
    public async Task ABatchCountsAsOneRequestWhateverItsSize()
    {
        using var client = fixture.CreateClient(ApiKeyAppFixture.BatchKey);
        var room = NewRoom();
        var batch = new { events = Enumerable.Range(0, 50).Select(i => new { room, type = "t", data = i }).ToList() };

        for (var i = 0; i < ApiKeyAppFixture.Burst; i++)
        {
            var response = await client.PostAsJsonAsync("/v1/events", batch);
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, $"batch {i} of 50 events takes one token of {ApiKeyAppFixture.Burst}");
        }
    }

    [Fact]
    public async Task ABroadcastCostsOneTokenPerRoom()
    {
        using var client = fixture.CreateClient(ApiKeyAppFixture.BroadcastKey);
        var rooms = Enumerable.Range(0, ApiKeyAppFixture.BroadcastBurst).Select(_ => NewRoom()).ToList();
        var started = Stopwatch.StartNew();

        var broadcast = await client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = 1 });
        var (accepted, refused) = await FloodAsync(client, rooms[0]);

        broadcast.StatusCode.ShouldBe(HttpStatusCode.Accepted, "the bucket starts full");
        refused.ShouldNotBeNull().StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        accepted.ShouldBeLessThanOrEqualTo((int)started.Elapsed.TotalSeconds + 1, "the broadcast took every token; only refills are left");
    }

    [Fact]
    public async Task ABroadcastToMoreRoomsThanTheBurstTakesTheWholeBucket()
    {
        using var client = fixture.CreateClient(ApiKeyAppFixture.SmallBurstKey);
        var rooms = Enumerable.Range(0, ApiKeyAppFixture.Burst + 5).Select(_ => NewRoom()).ToList();

        var broadcast = await client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = 1 });
        await Eventually.HoldsAsync(
            async () => (await client.GetAsync($"/v1/rooms/{rooms[0]}/events")).StatusCode == HttpStatusCode.OK,
            "one token refilled", TimeSpan.FromSeconds(10));
        var again = await client.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "t", data = 2 });

        broadcast.StatusCode.ShouldBe(HttpStatusCode.Accepted, "a bucket of 3 still pays for a broadcast to 8 rooms, once full");
        await again.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        again.Headers.RetryAfter.ShouldNotBeNull();
    }

    /// <summary>Sends history reads until one is refused; answers how many were served before it, and the refusal.</summary>
    private static async Task<(int Accepted, HttpResponseMessage? Refused)> FloodAsync(HttpClient client, string room)
    {
        for (var i = 0; i < Flood; i++)
        {
            var response = await client.GetAsync($"/v1/rooms/{room}/events");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (i, response);
            }
        }

        return (Flood, null);
    }
}
