using System.Net;
using System.Net.Http.Json;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Embedded;

/// <summary>
/// A database that cannot grow (<c>Sqlite:MaxSizeMb</c>, as a full disk does) answers 503 with <c>Retry-After</c>,
/// stores nothing of the refused request and keeps serving reads; deleting history makes room again.
/// </summary>
public sealed class EmbeddedFullDatabaseTests() : StackLifetime(new StackOptions
{
    Mode = StackMode.Embedded,
    Settings = new Dictionary<string, string>(SharedStackFixture.UnlimitedKey)
    {
        ["Sqlite:MaxSizeMb"] = "1",
        ["Retention:MaxEvents"] = "100000",
    },
})
{
    [Fact]
    public async Task AFullDatabaseAnswers503WithRetryAfterStoresNothingOfTheRequestAndStillServesReads()
    {
        var room = $"full:{Guid.NewGuid():N}"[..20];
        var text = new string('x', 16_000);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 200 && refused is null; i++)
        {
            var response = await Ingest.SendPublishAsync(room, "msg", new { i, text });
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                response.Dispose();
                continue;
            }

            refused = response;
        }

        refused.ShouldNotBeNull("a 1 MiB database fills up within 200 events of 16 kB");
        using (refused)
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await refused.Content.ReadAsStringAsync());
            refused.Headers.RetryAfter.ShouldNotBeNull();
            refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        }

        var (before, events) = await Ingest.ReadAllAsync(room);
        events.Count.ShouldBe((int)before.LastSeq, "reads go on; every accepted event is there");
        using (var again = await Ingest.SendPublishAsync(room, "msg", new { again = true, text }, idempotencyKey: "refused-once"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        }

        (await Ingest.ReadAllAsync(room)).Last.LastSeq.ShouldBe(before.LastSeq, "the refused requests stored nothing");
        var ready = await Ingest.Http.GetAsync("/health/ready");
        (await ready.Content.ReadAsStringAsync()).ShouldContain("Degraded");

        // Deleting the room's history makes room: publishing works again, seqs continue.
        (await Ingest.Http.DeleteAsync($"/v1/rooms/{room}/events")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await Ingest.SendPublishAsync(room, "msg", "small");
            return response.StatusCode == HttpStatusCode.Accepted;
        }, "publishing accepted again once history was deleted");
        (await Ingest.ReadAllAsync(room)).Last.LastSeq.ShouldBeGreaterThan(before.LastSeq);
    }
}
