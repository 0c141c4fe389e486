using System.Text;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Stack;
using RabbitMQ.Client;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// Messages on a partition queue that can never be stored, published there directly (not through Ingest): each goes
/// to <c>fanout.submit.dead</c> with a log line naming it, and the partition goes on storing and delivering.
/// </summary>
public sealed class PoisonMessageTests(PoisonMessageTests.StackFixture fixture) : IClassFixture<PoisonMessageTests.StackFixture>
{
    private const int Partitions = 2;
    private static readonly string DeadLetters = Fanout.Sequencer.Committing.DeadLetterQueue.QueueName;

    /// <summary>Bodies no sequencer can store: not JSON, not UTF-8, the wrong shape, or events that break the rules.</summary>
    public static readonly TheoryData<string, byte[]> PoisonBodies = new()
    {
        { "truncated JSON", Encoding.UTF8.GetBytes("""{"events":[{"room":"a","ty""") },
        { "not JSON", Encoding.UTF8.GetBytes("'; DROP TABLE room_events; --") },
        { "invalid UTF-8", [0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d] },
        { "JSON null", Encoding.UTF8.GetBytes("null") },
        { "an array", Encoding.UTF8.GetBytes("[]") },
        { "no events", Encoding.UTF8.GetBytes("""{"events":[]}""") },
        { "a null event", Encoding.UTF8.GetBytes("""{"events":[null]}""") },
        { "an invalid room id", Encoding.UTF8.GetBytes("""{"events":[{"id":"0193a4c5-0000-7000-8000-000000000001","room":"../x y","type":"t","data":1}]}""") },
        { "events of the wrong type", Encoding.UTF8.GetBytes("""{"events":"everything"}""") },
    };

    private readonly FanoutStack _stack = fixture.Stack;
    private readonly IngestClient _ingest = fixture.Ingest;

    [Theory]
    [MemberData(nameof(PoisonBodies))]
    public async Task AMessageThatCanNeverBeStoredIsDeadLetteredAndTheRoomsOfItsPartitionGoOn(string what, byte[] body)
    {
        var room = $"poison:{Guid.NewGuid():N}"[..20];
        await using var client = await RecordingClient.ConnectAsync(_stack, 0);
        await client.SubscribeAsync(room);
        var before = await _ingest.PublishAsync(room, "msg", new { i = "before" });
        await _ingest.WaitForStoredAsync(room, 1);

        var deadBefore = await _stack.Vhost.GetQueueDepthAsync(DeadLetters);
        var loggedBefore = DeadLetteredLines();

        // On every partition queue, so the room's own partition certainly has one in front of the next event.
        await PublishToEveryPartitionAsync(body, what);
        var after = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            after.Add(await _ingest.PublishAsync(room, "msg", new { i }));
        }

        await _ingest.WaitForStoredAsync(room, 6);
        var (_, history) = await _ingest.ReadAllAsync(room);
        history.Select(e => e.Id.ToString()).ShouldBe([before, .. after]);
        history.Select(e => e.Seq).ShouldBe([1L, 2, 3, 4, 5, 6]);
        await client.WaitForAsync(room, 6);
        client.Events(room).Select(e => e.Seq).ShouldBe([1L, 2, 3, 4, 5, 6]);

        await Eventually.HoldsAsync(
            async () => await _stack.Vhost.GetQueueDepthAsync(DeadLetters) >= deadBefore + Partitions,
            $"{what}: both poison messages are in {DeadLetters}",
            TimeSpan.FromSeconds(60));
        var logged = DeadLetteredLines().Skip(loggedBefore.Count).ToList();
        for (var partition = 0; partition < Partitions; partition++)
        {
            logged.ShouldContain(line => line.Contains($"of partition {partition}: ", StringComparison.Ordinal), $"{what}: partition {partition}'s message is logged as dead-lettered");
        }

        foreach (var queue in Enumerable.Range(0, Partitions).Select(BrokerNames.SubmitQueue))
        {
            // The management figures lag a few seconds behind the queue.
            await Eventually.HoldsAsync(async () => await _stack.Vhost.GetQueueDepthAsync(queue) == 0, $"{what}: {queue} is drained, not blocked");
        }
    }

    private List<string> DeadLetteredLines() =>
        ServiceLog.Lines(_stack.Sequencers[0]).Where(l => l.Contains("Dead-lettered message", StringComparison.Ordinal)).ToList();

    private async Task PublishToEveryPartitionAsync(byte[] body, string what)
    {
        await using var connection = await _stack.Vhost.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        for (var partition = 0; partition < Partitions; partition++)
        {
            var properties = new BasicProperties { Persistent = true, MessageId = $"poison-{partition}-{what}" };
            await channel.BasicPublishAsync(string.Empty, BrokerNames.SubmitQueue(partition), mandatory: true, properties, body);
        }
    }

    public sealed class StackFixture() : StackLifetime(new StackOptions { Sequencers = 1, RealtimeNodes = 1, Partitions = Partitions, Presence = false });
}
