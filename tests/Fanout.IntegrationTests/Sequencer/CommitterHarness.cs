using System.Text.Json;
using Fanout.Contracts.Messages;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Sequencer;
using Fanout.Sequencer.Committing;
using Fanout.Sequencer.Intake;
using Fanout.Sequencer.Metrics;
using Fanout.Sequencer.Routing;
using Fanout.Testing;
using Fanout.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.IntegrationTests.Sequencer;

/// <summary>
/// A real <see cref="BatchCommitter"/> fed by hand: messages are put on a real RabbitMQ queue of a fresh vhost and taken
/// off unacknowledged (as the intake would), so acknowledgements, channel closes and dead letters are the broker's own.
/// </summary>
public sealed class CommitterHarness : IAsyncDisposable
{
    public const string SourceQueue = "committer-test";

    private readonly ServiceProvider _services;

    private CommitterHarness(RabbitMqVhost vhost, RabbitMqConnectionSource connections, ISequencedHistoryWriter store, IRoomEventRouter router,
        SequencerOptions options, ILogger<BatchCommitter> logger)
    {
        Vhost = vhost;
        Connections = connections;
        DeadLetters = new DeadLetterQueue(connections);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new SequencerMetrics(_services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), Inbox,
            new PartitionBacklog(connections, Options.Create(new TopologyOptions()), NullLogger<PartitionBacklog>.Instance));
        var schema = new HistorySchemaState();
        schema.MarkReady();
        Committer = new BatchCommitter(Inbox, store, router, DeadLetters, schema, metrics, Options.Create(options), logger);
    }

    public RabbitMqVhost Vhost { get; }

    public RabbitMqConnectionSource Connections { get; }

    public SequencerInbox Inbox { get; } = new();

    public DeadLetterQueue DeadLetters { get; }

    public BatchCommitter Committer { get; }

    /// <summary>The meter factory the committer's metrics were created with (for a MeterListener scoped to it).</summary>
    public System.Diagnostics.Metrics.IMeterFactory MeterFactory => _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();

    public static async Task<CommitterHarness> CreateAsync(string prefix, ISequencedHistoryWriter store, SequencerOptions? options = null,
        ILogger<BatchCommitter>? logger = null, IRoomEventRouter? router = null)
    {
        var vhost = await RabbitMqVhost.CreateAsync(prefix);
        var connections = new RabbitMqConnectionSource(vhost.ConnectionString, prefix, NullLogger<RabbitMqConnectionSource>.Instance);
        return new CommitterHarness(vhost, connections, store, router ?? new NoRouting(), options ?? new SequencerOptions(),
            logger ?? NullLogger<BatchCommitter>.Instance);
    }

    /// <summary>A new channel on the harness's connection (the caller disposes it).</summary>
    public async Task<IChannel> OpenChannelAsync()
    {
        var connection = await Connections.GetConnectionAsync(CancellationToken.None);
        var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(SourceQueue, durable: true, exclusive: false, autoDelete: false);
        return channel;
    }

    /// <summary>Publishes one message per submission to the source queue.</summary>
    public static async Task PublishAsync(IChannel channel, params EventSubmission[] submissions)
    {
        foreach (var submission in submissions)
        {
            await channel.BasicPublishAsync(string.Empty, SourceQueue, MessageSerializer.Serialize(submission));
        }
    }

    /// <summary>Takes the next message off the source queue on <paramref name="channel"/>, unacknowledged.</summary>
    public static async Task<PendingDelivery> TakeAsync(IChannel channel)
    {
        BasicGetResult? message = null;
        await Eventually.HoldsAsync(async () => (message = await channel.BasicGetAsync(SourceQueue, autoAck: false)) is not null, "a message is on the source queue");
        var submission = MessageSerializer.Deserialize<EventSubmission>(message!.Body.Span);
        return new PendingDelivery(0, channel, message.DeliveryTag, submission, message.Body.ToArray(), null);
    }

    /// <summary>
    /// Stops the committer (it finishes and acknowledges its batch in hand), closes <paramref name="channels"/> (what
    /// they left unacknowledged goes back to the queue) and returns the messages on the source queue: exact, unlike the
    /// management API's statistics, which lag.
    /// </summary>
    public async Task<uint> StopAndCountUnacknowledgedAsync(params IChannel[] channels)
    {
        await Committer.StopAsync(CancellationToken.None);
        foreach (var channel in channels)
        {
            await channel.CloseQuietlyAsync();
        }

        var connection = await Connections.GetConnectionAsync(CancellationToken.None);
        await using var probe = await connection.CreateChannelAsync();
        return (await probe.QueueDeclarePassiveAsync(SourceQueue)).MessageCount;
    }

    /// <summary>Takes every message off a queue (acknowledged) and returns the submissions; none when it does not exist.</summary>
    public async Task<List<EventSubmission>> DrainAsync(string queue)
    {
        var connection = await Connections.GetConnectionAsync(CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        var submissions = new List<EventSubmission>();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                submissions.Add(MessageSerializer.Deserialize<EventSubmission>(message.Body.Span));
            }
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            // No such queue (yet): nothing in it.
        }

        return submissions;
    }

    public static SubmittedEvent Event(string room, string type = "ok") =>
        new(Guid.NewGuid(), room, type, JsonDocument.Parse("1").RootElement, DateTimeOffset.UtcNow);

    public async ValueTask DisposeAsync()
    {
        await Committer.StopAsync(CancellationToken.None);
        Committer.Dispose();
        await DeadLetters.DisposeAsync();
        await Connections.DisposeAsync();
        await _services.DisposeAsync();
        await Vhost.DisposeAsync();
    }

    private sealed class NoRouting : IRoomEventRouter
    {
        public Task RouteAsync(IReadOnlyList<Fanout.Contracts.Wire.RoomEvent> committed, Fanout.Sequencer.Tracing.BatchTrace trace, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
