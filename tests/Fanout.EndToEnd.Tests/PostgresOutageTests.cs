using System.Net;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresOutageCollection
{
    public const string Name = "postgres outage (runs alone: it stops the shared PostgreSQL)";
}

/// <summary>Stops the real PostgreSQL server while events are being published, and starts it again.</summary>
[Collection(PostgresOutageCollection.Name)]
public sealed class PostgresOutageTests : PostgresOutageStack
{
    [Fact]
    public async Task WhilePostgresIsDownEventsWaitInTheBrokerAndAfterwardsEveryAcceptedEventIsStoredAndDeliveredOnceInOrder()
    {
        var room = $"pgdown:{Guid.NewGuid():N}"[..20];
        using var health = new HttpClient { BaseAddress = Stack.Sequencers[0].BaseAddress };
        await using var client = await RecordingClient.ConnectAsync(Stack, 0);
        await client.SubscribeAsync(room);
        var accepted = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            accepted.Add(await Ingest.PublishAsync(room, "msg", new { i, phase = "before" }));
        }

        await Ingest.WaitForStoredAsync(room, accepted.Count);

        await ServersScript.RunAsync("stop", "postgres");
        try
        {
            // Ingest needs only the broker: every publish is still a 202, and the events wait in their partition queue.
            for (var i = 0; i < 30; i++)
            {
                accepted.Add(await Ingest.PublishAsync(room, "msg", new { i, phase = "during" }));
            }

            await Eventually.HoldsAsync(
                async () => (await health.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK,
                "the fanout service is not ready while PostgreSQL is down",
                TimeSpan.FromSeconds(60));
            (await health.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK, "liveness does not depend on PostgreSQL");
            await Eventually.HoldsAsync(
                async () => await WaitingInPartitionQueuesAsync() > 0,
                "the fanout service does not acknowledge what it cannot store",
                TimeSpan.FromSeconds(60));
            for (var i = 30; i < 40; i++)
            {
                accepted.Add(await Ingest.PublishAsync(room, "msg", new { i, phase = "during" }));
            }
        }
        finally
        {
            await ServersScript.RunAsync("start", "postgres");
        }

        await Eventually.HoldsAsync(
            async () => (await health.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            "the fanout service is ready again once PostgreSQL is back",
            TimeSpan.FromSeconds(90));
        for (var i = 0; i < 10; i++)
        {
            accepted.Add(await Ingest.PublishAsync(room, "msg", new { i, phase = "after" }));
        }

        // Right after the restart a history read may still meet a pooled connection PostgreSQL dropped: a 503 to retry.
        await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return (await Ingest.ReadAllAsync(room)).Last.LastSeq >= accepted.Count;
                }
                catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    return false;
                }
            },
            $"{room} has all {accepted.Count} accepted events stored",
            TimeSpan.FromSeconds(90));
        var (last, history) = await Ingest.ReadAllAsync(room);
        history.Select(e => e.Id.ToString()).ShouldBe(accepted, "every 202'd event is stored once, in publish order");
        history.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, accepted.Count).Select(i => (long)i));
        last.LastSeq.ShouldBe(accepted.Count);

        await client.WaitForAsync(room, accepted.Count, TimeSpan.FromSeconds(60));
        client.Events(room).Select(e => e.Id.ToString()).ShouldBe(accepted, "the subscriber got each event once, in order");
        await Eventually.HoldsAsync(async () => await WaitingInPartitionQueuesAsync() == 0, "the partition queues are drained", TimeSpan.FromSeconds(60));
    }

    private async Task<long> WaitingInPartitionQueuesAsync()
    {
        long waiting = 0;
        for (var partition = 0; partition < Partitions; partition++)
        {
            waiting += await Stack.Vhost.GetQueueDepthAsync(BrokerNames.SubmitQueue(partition));
        }

        return waiting;
    }
}
