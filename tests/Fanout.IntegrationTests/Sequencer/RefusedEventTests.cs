using System.Text.Json;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Sequencer;
using Fanout.Sequencer.Committing;
using Fanout.Sequencer.Intake;
using Fanout.Sequencer.Metrics;
using Fanout.Sequencer.Routing;
using Fanout.Sequencer.Tracing;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;

namespace Fanout.IntegrationTests.Sequencer;

/// <summary>
/// One submission message holding several callers' events (Ingest's group commit) where the store refuses one event
/// for good: only that event is dead-lettered (as a message of its own); the others are stored, routed and the message
/// is acknowledged. Real RabbitMQ for the message, its acknowledgement and the dead-letter queue; a store that refuses
/// the events typed <c>refused</c> stands in for PostgreSQL's permanent errors (which the contract's validation keeps
/// out of reach of real requests).
/// </summary>
public sealed class RefusedEventTests : IAsyncLifetime
{
    private const string SourceQueue = "refused-event-test";
    private RabbitMqVhost _vhost = null!;
    private RabbitMqConnectionSource _connections = null!;

    public async Task InitializeAsync()
    {
        _vhost = await RabbitMqVhost.CreateAsync("refused");
        _connections = new RabbitMqConnectionSource(_vhost.ConnectionString, "refused-event-test", NullLogger<RabbitMqConnectionSource>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _connections.DisposeAsync();
        await _vhost.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheRefusedEventOfASharedMessageIsDeadLetteredAndTheRestIsStoredAndRouted()
    {
        var events = new[] { Event("a", "ok"), Event("a", "refused"), Event("b", "ok"), Event("a", "ok") };
        var store = new RefusingStore();
        var router = new RecordingRouter();
        var connection = await _connections.GetConnectionAsync(CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        var delivery = await TakeMessageAsync(channel, new EventSubmission(events));

        var inbox = new SequencerInbox();
        await using var deadLetters = new DeadLetterQueue(_connections);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SequencerMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), inbox,
            new PartitionBacklog(_connections, Options.Create(new TopologyOptions()), NullLogger<PartitionBacklog>.Instance));
        var schema = new HistorySchemaState();
        schema.MarkReady();
        var committer = new BatchCommitter(inbox, store, router, deadLetters, schema, metrics,
            Options.Create(new SequencerOptions()), NullLogger<BatchCommitter>.Instance);

        await committer.StartAsync(CancellationToken.None);
        inbox.Add(delivery);
        await Eventually.HoldsAsync(async () => await _vhost.GetQueueDepthAsync(DeadLetterQueue.QueueName) >= 1, "the refused event is dead-lettered");
        await Eventually.HoldsAsync(async () => await _vhost.GetQueueDepthAsync(SourceQueue) == 0, "the shared message is acknowledged (none ready or unacknowledged)");
        await committer.StopAsync(CancellationToken.None);

        store.Stored.Select(e => e.Id).ShouldBe([events[0].Id, events[2].Id, events[3].Id], ignoreOrder: true);
        router.Routed.Select(e => e.Id).ShouldBe(store.Stored.Select(e => e.Id), ignoreOrder: true);
        var dead = await channel.BasicGetAsync(DeadLetterQueue.QueueName, autoAck: true);
        dead.ShouldNotBeNull();
        MessageSerializer.Deserialize<EventSubmission>(dead.Body.Span).Events.Select(e => e.Id).ShouldBe([events[1].Id]);
        (await channel.BasicGetAsync(DeadLetterQueue.QueueName, autoAck: true)).ShouldBeNull("only the refused event is dead-lettered");
    }

    /// <summary>Puts the submission on a queue and takes it off unacknowledged, as the intake would.</summary>
    private static async Task<PendingDelivery> TakeMessageAsync(IChannel channel, EventSubmission submission)
    {
        await channel.QueueDeclareAsync(SourceQueue, durable: true, exclusive: false, autoDelete: false);
        var body = MessageSerializer.Serialize(submission);
        await channel.BasicPublishAsync(string.Empty, SourceQueue, body);
        BasicGetResult? message = null;
        await Eventually.HoldsAsync(async () => (message = await channel.BasicGetAsync(SourceQueue, autoAck: false)) is not null, "the message is on its queue");
        return new PendingDelivery(0, channel, message!.DeliveryTag, submission, message.Body.ToArray(), null);
    }

    private static SubmittedEvent Event(string room, string type) =>
        new(Guid.NewGuid(), room, type, JsonDocument.Parse("1").RootElement, DateTimeOffset.UtcNow);

    /// <summary>Refuses (SQLSTATE 22P02, permanent) any call holding an event typed <c>refused</c>; numbers the rest.</summary>
    private sealed class RefusingStore : ISequencedHistoryWriter
    {
        private readonly Dictionary<string, long> _lastSeq = [];

        public List<RoomEvent> Stored { get; } = [];

        public Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
        {
            if (events.Any(e => e.Type == "refused"))
            {
                throw new PostgresException("invalid input syntax", "ERROR", "ERROR", PostgresErrorCodes.InvalidTextRepresentation);
            }

            var committed = events.Select(e =>
            {
                var seq = _lastSeq[e.Room] = _lastSeq.GetValueOrDefault(e.Room) + 1;
                return new RoomEvent(e.Room, seq, "epoch", e.Id, e.Type, e.Data, e.PublishedAt);
            }).ToList();
            Stored.AddRange(committed);
            return Task.FromResult<IReadOnlyList<RoomEvent>>(committed);
        }
    }

    private sealed class RecordingRouter : IRoomEventRouter
    {
        public List<RoomEvent> Routed { get; } = [];

        public Task RouteAsync(IReadOnlyList<RoomEvent> committed, BatchTrace trace, CancellationToken cancellationToken)
        {
            Routed.AddRange(committed);
            return Task.CompletedTask;
        }
    }
}
