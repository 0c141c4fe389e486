using System.Net;
using System.Text.Json;
using Npgsql;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>The history route over rows written straight into the (migrated) tables, as the sequencer would.</summary>
public sealed class RoomHistoryTests(IngestAppFixture fixture) : IClassFixture<IngestAppFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly HttpClient _client = fixture.CreateClient();

    [Fact]
    public async Task ARoomThatNeverHadAnEventAnswersPositionZeroAndNoEvents()
    {
        var room = NewRoom();

        var page = await GetAsync($"/v1/rooms/{room}/events");

        page.GetProperty("room").GetString().ShouldBe(room);
        page.GetProperty("epoch").GetString().ShouldBe(await EpochAsync(room, string.Empty), "an empty room has an epoch too");
        page.GetProperty("lastSeq").GetInt64().ShouldBe(0);
        page.GetProperty("events").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task TheWholeHistoryComesOldestFirstWithEveryField()
    {
        var room = NewRoom();
        var ids = await InsertAsync(room, "epoch-a", 3);

        var page = await GetAsync($"/v1/rooms/{room}/events");

        var epoch = await EpochAsync(room, "epoch-a");
        page.GetProperty("epoch").GetString().ShouldBe(epoch);
        page.GetProperty("lastSeq").GetInt64().ShouldBe(3);
        var events = page.GetProperty("events").EnumerateArray().ToList();
        events.Select(e => e.GetProperty("seq").GetInt64()).ShouldBe([1, 2, 3]);
        var first = events[0];
        first.EnumerateObject().Select(p => p.Name).ShouldBe(["room", "seq", "epoch", "id", "type", "data", "publishedAt"], ignoreOrder: true);
        first.GetProperty("room").GetString().ShouldBe(room);
        first.GetProperty("epoch").GetString().ShouldBe(epoch);
        first.GetProperty("id").GetGuid().ShouldBe(ids[0]);
        first.GetProperty("type").GetString().ShouldBe("t1");
        first.GetProperty("data").GetRawText().ShouldBe("""{"n":1,"text":"é"}""");
        first.GetProperty("publishedAt").GetDateTimeOffset().ShouldBe(Start.AddSeconds(1));
        first.GetProperty("publishedAt").GetString().ShouldStartWith("2026-01-02T03:04:06");
    }

    [Fact]
    public async Task AfterAndLimitSelectAPage()
    {
        var room = NewRoom();
        await InsertAsync(room, "e", 10);

        var page = await GetAsync($"/v1/rooms/{room}/events?after=4&limit=3");

        page.GetProperty("lastSeq").GetInt64().ShouldBe(10);
        page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ShouldBe([5, 6, 7]);
    }

    [Fact]
    public async Task TheDefaultLimitIsOneHundred()
    {
        var room = NewRoom();
        await InsertAsync(room, "e", 150);

        var page = await GetAsync($"/v1/rooms/{room}/events?after=0");

        page.GetProperty("events").GetArrayLength().ShouldBe(100);
        (await GetAsync($"/v1/rooms/{room}/events?after=100&limit=1000")).GetProperty("events").GetArrayLength().ShouldBe(50);
    }

    [Theory]
    [InlineData("?after=3")]
    [InlineData("?after=4")]
    [InlineData("?after=9223372036854775807")]
    public async Task AfterAtOrBeyondTheLastSeqAnswersNoEventsAndThePosition(string query)
    {
        var room = NewRoom();
        await InsertAsync(room, "e", 3);

        var page = await GetAsync($"/v1/rooms/{room}/events{query}");

        page.GetProperty("lastSeq").GetInt64().ShouldBe(3);
        page.GetProperty("epoch").GetString().ShouldBe(await EpochAsync(room, "e"));
        page.GetProperty("events").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task DataNestedAtTheDepthLimitIsServed()
    {
        var room = NewRoom();
        var deep = new string('[', 64) + new string(']', 64);
        await InsertAsync(room, "e", 1, _ => deep);

        var page = await GetAsync($"/v1/rooms/{room}/events");

        page.GetProperty("events")[0].GetProperty("data").GetRawText().ShouldBe(deep);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        return document.RootElement.Clone();
    }

    /// <summary>The epoch clients see for a room whose stored epoch is <paramref name="stored"/> (see the RetentionAndEpochs migration).</summary>
    private async Task<string> EpochAsync(string room, string stored)
    {
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT fanout_epoch($1, $2)", connection)
        {
            Parameters = { new() { Value = room }, new() { Value = stored } },
        };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<Guid>> InsertAsync(string room, string epoch, int count, Func<int, string>? data = null)
    {
        data ??= n => $$"""{"n":{{n}},"text":"é"}""";
        var ids = Enumerable.Range(1, count).Select(_ => Guid.CreateVersion7()).ToList();
        await using var connection = new NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO rooms (room_id, epoch, last_seq, client_epoch) VALUES ($1, $2, $3, fanout_epoch($1, $2))")
        {
            Parameters = { new() { Value = room }, new() { Value = epoch }, new() { Value = (long)count } },
        });
        for (var n = 1; n <= count; n++)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "INSERT INTO room_events (room_id, seq, event_id, type, data, published_at) VALUES ($1, $2, $3, $4, $5::json, $6)")
            {
                Parameters =
                {
                    new() { Value = room }, new() { Value = (long)n }, new() { Value = ids[n - 1] },
                    new() { Value = $"t{n}" }, new() { Value = data(n) }, new() { Value = Start.AddSeconds(n) },
                },
            });
        }

        await batch.ExecuteNonQueryAsync();
        return ids;
    }
}
