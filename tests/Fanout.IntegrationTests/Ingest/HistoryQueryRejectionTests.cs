using System.Net;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>A malformed, repeated or out-of-range <c>after</c> or <c>limit</c> is refused, never clamped.</summary>
[Collection(RejectionCollection.Name)]
public sealed class HistoryQueryRejectionTests(SmallBodyLimitFixture fixture)
{
    private readonly HttpClient _client = fixture.CreateClient();

    [Theory]
    [InlineData("after=-1", "after must be an integer from 0")]
    [InlineData("after=abc", "after must be an integer from 0")]
    [InlineData("after=1.5", "after must be an integer from 0")]
    [InlineData("after=", "after must be an integer from 0")]
    [InlineData("after", "after must be an integer from 0")]
    [InlineData("after=%2B1", "after must be an integer from 0")]
    [InlineData("after=%201", "after must be an integer from 0")]
    [InlineData("after=0x10", "after must be an integer from 0")]
    [InlineData("after=9223372036854775808", "after must be an integer from 0")]
    [InlineData("after=1&after=2", "after must appear at most once")]
    [InlineData("after=1&after=1", "after must appear at most once")]
    [InlineData("limit=0", "limit must be an integer from 1 to 1000")]
    [InlineData("limit=1001", "limit must be an integer from 1 to 1000")]
    [InlineData("limit=-5", "limit must be an integer from 1 to 1000")]
    [InlineData("limit=ten", "limit must be an integer from 1 to 1000")]
    [InlineData("limit=", "limit must be an integer from 1 to 1000")]
    [InlineData("limit=99999999999", "limit must be an integer from 1 to 1000")]
    [InlineData("limit=10&limit=20", "limit must appear at most once")]
    public async Task ABadQueryIs400(string query, string detail)
    {
        var response = await _client.GetAsync($"/v1/rooms/{NewRoom()}/events?{query}");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData("limit=1")]
    [InlineData("limit=1000")]
    [InlineData("after=0&limit=50")]
    [InlineData("after=007")]
    [InlineData("unrelated=x")]
    public async Task AWellFormedQueryIsAnswered(string query)
    {
        var response = await _client.GetAsync($"/v1/rooms/{NewRoom()}/events?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
