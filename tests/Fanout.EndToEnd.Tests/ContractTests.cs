using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing.Stack;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// The rest of the public contract through both doors, the same on either mode: batch and broadcast publishing, history
/// paging, what an API key or a token may do, and a connection's limits. A refused call changes nothing.
/// </summary>
public abstract class ContractTests(StackLifetime fixture)
{
    private static string NewRoom(string name) => $"{name}:{Guid.NewGuid():N}"[..(name.Length + 13)];

    /// <summary>The wait a rate-limit hub error names ("retry in N ms").</summary>
    private static TimeSpan RetryAfter(string message) =>
        TimeSpan.FromMilliseconds(int.Parse(System.Text.RegularExpressions.Regex.Match(message, @"retry in (\d+) ms").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task ABatchIsSequencedInRequestOrderPerRoomAndDeliveredSo()
    {
        var (a, b) = (NewRoom("batch"), NewRoom("batch"));
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(a);
        await client.SubscribeAsync(b);

        using var response = await fixture.Ingest.Http.PostAsJsonAsync("/v1/events", new
        {
            events = new object[]
            {
                new { room = a, type = "m", data = 1 }, new { room = b, type = "m", data = 1 },
                new { room = a, type = "m", data = 2 }, new { room = a, type = "m", data = 3 },
            },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var ids = (await response.Content.ReadFromJsonAsync<EventIdsResponse>())!.Ids;
        ids.Count.ShouldBe(4);
        await client.WaitForAsync(a, 3);
        await client.WaitForAsync(b, 1);
        client.Events(a).Select(e => (e.Seq, e.Data.GetInt32())).ShouldBe([(1L, 1), (2L, 2), (3L, 3)]);
        client.Events(a).Select(e => e.Id.ToString()).ShouldBe([ids[0], ids[2], ids[3]]);
        client.Events(b).Single().Id.ToString().ShouldBe(ids[1]);
    }

    [Fact]
    public async Task ABroadcastReachesEveryNamedRoomOnce()
    {
        var rooms = Enumerable.Range(0, 5).Select(_ => NewRoom("bcast")).ToList();
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        foreach (var room in rooms)
        {
            await client.SubscribeAsync(room);
        }

        using var response = await fixture.Ingest.Http.PostAsJsonAsync("/v1/broadcast", new { rooms, type = "notice", data = new { text = "hi" } });

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        foreach (var room in rooms)
        {
            await client.WaitForAsync(room, 1);
            client.Events(room).ShouldHaveSingleItem().ShouldSatisfyAllConditions(e => e.Seq.ShouldBe(1), e => e.Type.ShouldBe("notice"));
        }
    }

    [Fact]
    public async Task HistoryIsReadInPagesAfterASeqUpToALimit()
    {
        var room = NewRoom("pages");
        for (var i = 1; i <= 7; i++)
        {
            await fixture.Ingest.PublishAsync(room, "m", i);
        }

        await fixture.Ingest.WaitForStoredAsync(room, 7);
        var page = (await fixture.Ingest.Http.GetFromJsonAsync<RoomHistoryResponse>($"/v1/rooms/{room}/events?after=2&limit=3"))!;

        page.LastSeq.ShouldBe(7);
        page.Retention.ShouldBe(new RoomRetentionResponse(1000, 86_400, 1), "the default retention rule and the first seq served");
        page.Events.Select(e => e.Seq).ShouldBe([3, 4, 5]);
        page.Events.Select(e => e.Data.GetInt32()).ShouldBe([3, 4, 5]);
        (await fixture.Ingest.Http.GetFromJsonAsync<RoomHistoryResponse>($"/v1/rooms/{room}/events?after=7"))!.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnApiKeyLimitedToSomeRoomsIsRefusedOthersAndTheRefusalStoresNothing()
    {
        var (allowed, other) = (NewRoom("limited"), NewRoom("other"));
        using var limited = new HttpClient { BaseAddress = fixture.Stack.Ingest.BaseAddress };
        limited.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FanoutStack.LimitedApiKey);

        using (var refused = await limited.PostAsJsonAsync($"/v1/rooms/{other}/events", new { type = "m", data = 1 }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        using (var accepted = await limited.PostAsJsonAsync($"/v1/rooms/{allowed}/events", new { type = "m", data = 1 }))
        {
            accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        (await fixture.Ingest.ReadAllAsync(other)).Last.LastSeq.ShouldBe(0);
        await fixture.Ingest.WaitForStoredAsync(allowed, 1);
    }

    [Fact]
    public async Task ATokenMayOnlySubscribeAndPublishToItsRoomsAndARefusalKeepsTheExistingSubscription()
    {
        var (mine, theirs) = (NewRoom("perm"), NewRoom("other"));
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0,
            claims: new Dictionary<string, object> { ["rooms"] = new[] { "perm:*" } });
        await client.SubscribeAsync(mine);

        (await Should.ThrowAsync<HubException>(() => client.SubscribeAsync(theirs))).Message.ShouldContain(theirs);
        (await Should.ThrowAsync<HubException>(() => client.PublishAsync(theirs, "m", 1))).Message.ShouldContain(theirs);
        await client.PublishAsync(mine, "m", "mine");

        await client.WaitForAsync(mine, 1);
        (await fixture.Ingest.ReadAllAsync(theirs)).Last.LastSeq.ShouldBe(0);
    }

    [Fact]
    public async Task WithoutAValidApiKeyTheApiAnswers401AndStoresNothing()
    {
        var room = NewRoom("nokey");
        using var anonymous = new HttpClient { BaseAddress = fixture.Stack.Ingest.BaseAddress };
        using var wrong = new HttpClient { BaseAddress = fixture.Stack.Ingest.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key-of-this-service");
        var token = Fanout.Testing.SignalR.TestTokens.Create("someone", FanoutStack.SigningKey);
        using var withToken = new HttpClient { BaseAddress = fixture.Stack.Ingest.BaseAddress };
        withToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        foreach (var client in new[] { anonymous, wrong, withToken })
        {
            using var response = await client.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "m", data = 1 });
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "a client token is no API key either");
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        (await fixture.Ingest.ReadAllAsync(room)).Last.LastSeq.ShouldBe(0);
    }

    [Fact]
    public async Task TheHubRefusesAConnectionWithoutAValidTokenAndAnApiKeyIsNoToken()
    {
        foreach (var token in new[] { null, "not-a-token", FanoutStack.ApiKey,
                     Fanout.Testing.SignalR.TestTokens.Create("someone", "another-signing-key-0123456789-0123456789") })
        {
            await using var connection = Fanout.Testing.SignalR.TestHubConnections.Create(fixture.Stack.HubUrl(0), () => Task.FromResult(token));
            var refused = await Should.ThrowAsync<Exception>(() => connection.StartAsync());
            refused.Message.ShouldContain("401");
        }
    }

    [Fact]
    public async Task AConnectionOverItsSubscriptionLimitIsRefusedAndKeepsTheOnesItHas()
    {
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        var rooms = Enumerable.Range(0, 200).Select(_ => NewRoom("many")).ToList();
        foreach (var room in rooms)
        {
            await client.SubscribeAsync(room);
        }

        // 200 subscribes take the whole Subscribe burst: a 201st within the first 100 ms meets the rate limit first, so
        // it waits as long as that error says, as a client would, until it meets the subscription limit.
        var refused = await Should.ThrowAsync<HubException>(() => client.SubscribeAsync(NewRoom("many")));
        for (var retries = 0; refused.Message.Contains("rate limit exceeded", StringComparison.Ordinal) && retries < 10; retries++)
        {
            await Task.Delay(RetryAfter(refused.Message));
            refused = await Should.ThrowAsync<HubException>(() => client.SubscribeAsync(NewRoom("many")));
        }

        refused.Message.ShouldContain("already holds 200 subscriptions");
        await fixture.Ingest.PublishAsync(rooms[^1], "m", "still subscribed");
        await client.WaitForAsync(rooms[^1], 1);
    }
}

/// <summary>The tests above on the distributed stack (two sequencers, two nodes).</summary>
[Collection(SharedStackCollection.Name)]
public sealed class ContractTestsDistributed(SharedStackFixture fixture) : ContractTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedStackCollection.Name)]
public sealed class ContractTestsEmbedded(EmbeddedStackFixture fixture) : ContractTests(fixture);
