using System.Net;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// Events accepted while PostgreSQL is down wait in the partition queues (quorum queues, on the broker's disk): a broker
/// restart while they wait loses none of them, and once PostgreSQL is back each is stored once, in publish order.
/// Stops the shared PostgreSQL and restarts the shared RabbitMQ, so it runs alone (the PostgreSQL outage collection).
/// </summary>
[Collection(PostgresOutageCollection.Name)]
public sealed class QueuedEventsBrokerRestartTests : PostgresOutageStack
{
    [Fact]
    public async Task EventsAcceptedWhilePostgresIsDownSurviveABrokerRestartAndAreStoredOnceInPublishOrder()
    {
        var rooms = Enumerable.Range(0, 4).Select(i => $"mqrestart{i}:{Guid.NewGuid():N}"[..24]).ToList();
        var accepted = rooms.ToDictionary(room => room, _ => new List<string>());
        foreach (var room in rooms)
        {
            accepted[room].Add(await Ingest.PublishAsync(room, "msg", new { phase = "before" }));
            await Ingest.WaitForStoredAsync(room, 1);
        }

        await ServersScript.RunAsync("stop", "postgres");
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var room = rooms[i % rooms.Count];
                accepted[room].Add(await Ingest.PublishAsync(room, "msg", new { i, phase = "queued" }));
            }

            // The broker restarts while they wait, unacknowledged, in the partition queues.
            await ServersScript.RunAsync("stop", "rabbitmq");
            await ServersScript.RunAsync("start", "rabbitmq");
            // Probed in a room of its own: a 503 after a timeout may still be stored, which must not blur the checked rooms.
            var probeRoom = $"mqprobe:{Guid.NewGuid():N}"[..20];
            await Eventually.HoldsAsync(
                async () =>
                {
                    using var probe = await Ingest.SendPublishAsync(probeRoom, "probe", 0);
                    return probe.StatusCode == HttpStatusCode.Accepted;
                },
                "Ingest accepts again after the broker restart", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await ServersScript.RunAsync("start", "postgres");
        }

        foreach (var room in rooms)
        {
            await Eventually.HoldsAsync(
                async () =>
                {
                    try
                    {
                        return (await Ingest.ReadAllAsync(room)).Last.LastSeq >= accepted[room].Count;
                    }
                    catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        return false; // a pooled connection PostgreSQL dropped: retry
                    }
                },
                $"{room} has all {accepted[room].Count} accepted events stored",
                TimeSpan.FromSeconds(120));
            var (last, history) = await Ingest.ReadAllAsync(room);
            history.Select(e => e.Id.ToString()).ShouldBe(accepted[room], $"{room}: every 202'd event is stored once, in publish order");
            history.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, accepted[room].Count).Select(i => (long)i));
            last.LastSeq.ShouldBe(accepted[room].Count);
        }

        await Eventually.HoldsAsync(
            async () =>
            {
                for (var partition = 0; partition < Partitions; partition++)
                {
                    if (await Stack.Vhost.GetQueueDepthAsync(BrokerNames.SubmitQueue(partition)) != 0)
                    {
                        return false;
                    }
                }

                return true;
            },
            "the partition queues are drained", TimeSpan.FromSeconds(60));
    }
}
