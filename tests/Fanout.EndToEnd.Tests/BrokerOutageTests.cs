using System.Diagnostics;
using System.Net;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrokerOutageCollection
{
    public const string Name = "broker outage (runs alone: it stops the shared broker)";
}

/// <summary>Stops the real RabbitMQ server mid-run and starts it again.</summary>
[Collection(BrokerOutageCollection.Name)]
public sealed class BrokerOutageTests : IAsyncLifetime
{
    private FanoutStack _stack = null!;
    private IngestClient _ingest = null!;

    public async Task InitializeAsync()
    {
        _stack = await FanoutStack.StartAsync(new StackOptions { Sequencers = 1, RealtimeNodes = 1, Partitions = 2 });
        _ingest = new IngestClient(_stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task PublishWhileRabbitMqIsStoppedAnswers503WithinFiveSecondsAndNothingIsLost()
    {
        var room = $"outage:{Guid.NewGuid():N}"[..20];
        await using var client = await RecordingClient.ConnectAsync(_stack, 0);
        await client.SubscribeAsync(room);
        var before = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            before.Add(await _ingest.PublishAsync(room, "msg", new { i }));
        }

        await ServersScript.RunAsync("stop", "rabbitmq");
        try
        {
            var watch = Stopwatch.StartNew();
            using var response = await _ingest.SendPublishAsync(room, "msg", new { i = "during" });
            watch.Stop();

            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter.ShouldNotBeNull();
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await ServersScript.RunAsync("start", "rabbitmq");
        }

        // Everything accepted before the outage is stored and delivered once; publishing works again by itself.
        await Eventually.HoldsAsync(
            async () =>
            {
                using var probe = await _ingest.SendPublishAsync(room, "probe", 0);
                return probe.StatusCode == HttpStatusCode.Accepted;
            },
            "Ingest accepts again after the broker is back", TimeSpan.FromSeconds(60));
        var after = await _ingest.PublishAsync(room, "msg", new { i = "after" });

        // 202 means durably accepted; storing follows once the sequencer is back on the broker too.
        await Eventually.HoldsAsync(async () => (await _ingest.ReadAllAsync(room)).Events.Any(e => e.Id.ToString() == after),
            "the event accepted after the outage is stored", TimeSpan.FromSeconds(60));
        var (last, history) = await _ingest.ReadAllAsync(room);
        history.Select(e => e.Id.ToString()).ShouldContain(after);
        history.Select(e => e.Id.ToString()).Take(20).ShouldBe(before);
        history.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, (int)last.LastSeq).Select(i => (long)i));
        history.ShouldNotContain(e => e.Data.ToString().Contains("during", StringComparison.Ordinal), "a 503 was not accepted");

        await client.WaitForAsync(room, (int)last.LastSeq, TimeSpan.FromSeconds(30));
        client.Events(room).Select(e => e.Seq).ShouldBe(history.Select(e => e.Seq));
    }
}
