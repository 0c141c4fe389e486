using System.Diagnostics.Metrics;
using Fanout.Contracts.Messages;
using Fanout.IntegrationTests.Ingest;
using Fanout.Messaging;
using Fanout.Sequencer.Committing;
using Fanout.Testing;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using static Fanout.IntegrationTests.Sequencer.CommitterHarness;

namespace Fanout.IntegrationTests.Sequencer;

/// <summary>
/// A dead letter the broker will not take is kept: its message stays unacknowledged (and the partition waits) while
/// the sequencer retries, logs 3015 and counts the failure, until the dead-letter queue takes it.
/// </summary>
public sealed class DeadLetterFailureTests
{
    [Fact]
    public async Task ADeadLetterThatCannotBePublishedIsKeptAndAlertedUntilItCanBe()
    {
        var logs = new LogCapture();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var store = new ScriptedStore();
        await using var harness = await CreateAsync("dead-letter-failure", store, logger: loggerFactory.CreateLogger<BatchCommitter>());
        long failures = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "fanout.sequencer.dead_letter.failures" && instrument.Meter.Scope == harness.MeterFactory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();

        // The dead-letter queue exists with other arguments: declaring it (and so every dead-letter publish) fails.
        await using var channel = await harness.OpenChannelAsync();
        await channel.QueueDeclareAsync(DeadLetterQueue.QueueName, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" });
        var poison = Event("r", "refused");
        await PublishAsync(channel, new EventSubmission([poison]));
        harness.Inbox.Add(await TakeAsync(channel));
        await harness.Committer.StartAsync(CancellationToken.None);

        await Eventually.HoldsAsync(() => logs.Entries.Count(e => e.EventId.Id == 3015) >= 2, "the failed dead letter is logged (3015), and retried");
        Interlocked.Read(ref failures).ShouldBeGreaterThanOrEqualTo(2, "each failure is counted");

        await channel.QueueDeleteAsync(DeadLetterQueue.QueueName);
        List<EventSubmission> dead = [];
        await Eventually.HoldsAsync(async () => (dead = await harness.DrainAsync(DeadLetterQueue.QueueName)).Count > 0,
            "the dead letter is kept and published once the dead-letter queue takes it");
        dead.SelectMany(d => d.Events).Select(e => e.Id).ShouldBe([poison.Id]);
        (await harness.StopAndCountUnacknowledgedAsync(channel)).ShouldBe(0u, "the message is acknowledged once dead-lettered");
    }
}
