using System.Net;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// The partition queues are bounded (<c>Topology:MaxQueuedMessagesPerPartition</c>): beyond the bound the broker nacks
/// and Ingest answers 503 with <c>Retry-After</c> (problem details) instead of accepting without limit.
/// </summary>
public sealed class BacklogBoundTests(SmallBacklogIngestAppFixture fixture) : IClassFixture<SmallBacklogIngestAppFixture>
{
    [Fact]
    public async Task BeyondThePartitionQueuesBoundIngestAnswers503WithRetryAfterAndTheQueueHoldsOnlyWhatWasAccepted()
    {
        using var client = fixture.CreateClient();
        var room = IngestRequests.NewRoom("backlog");
        var accepted = 0;
        HttpResponseMessage? refused = null;
        for (var i = 0; i < SmallBacklogIngestAppFixture.MaxQueued + 5 && refused is null; i++)
        {
            var response = await client.SendAsync(IngestRequests.Post($"/v1/rooms/{room}/events", $$$"""{"type":"note","data":{"i":{{{i}}}}}"""));
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                accepted++;
                response.Dispose();
            }
            else
            {
                refused = response;
            }
        }

        // A quorum queue checks its bound before taking a message (RabbitMQ 3.10 measured here: it takes one more).
        accepted.ShouldBeInRange(SmallBacklogIngestAppFixture.MaxQueued, SmallBacklogIngestAppFixture.MaxQueued + 1,
            "every publish up to the bound is accepted");
        refused.ShouldNotBeNull("a publish beyond the bound is refused");
        using (refused)
        {
            refused.Headers.RetryAfter.ShouldNotBeNull();
            await refused.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "not accepted");
        }

        var queues = await fixture.Vhost.GetQueuesAsync();
        var partitionQueues = queues.Where(q => q.Name.StartsWith("fanout.submit.", StringComparison.Ordinal) && char.IsDigit(q.Name[^1])).ToList();
        partitionQueues.Count.ShouldBe(IngestAppFixture.Partitions);
        partitionQueues.ShouldAllBe(q => q.Type == "quorum" && q.Arguments["x-overflow"] == "reject-publish");
        (await fixture.Queues.ReadAsync(SubmitQueueReader.PartitionOf(room))).Count(e => e.Room == room)
            .ShouldBe(accepted, "nothing refused was queued");
    }
}
