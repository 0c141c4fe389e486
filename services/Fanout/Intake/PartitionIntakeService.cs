using System.Text.Json;
using Fanout.Contracts.Messages;
using Fanout.Messaging;
using Fanout.Messaging.Tracing;
using Fanout.Sequencer.Tracing;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Fanout.Sequencer.Intake;

/// <summary>
/// Consumes every partition queue (<c>fanout.submit.{p}</c>) with manual acknowledgement and puts each delivery,
/// in order, into the <see cref="SequencerInbox"/>. The queues have a single active consumer, so of several
/// sequencer instances one reads a given partition at a time and the others stand by. When the connection is
/// lost, unacknowledged messages go back to their queue and are delivered again, in order.
/// </summary>
public sealed partial class PartitionIntakeService(
    RabbitMqConnectionSource connections,
    SequencerInbox inbox,
    IOptions<TopologyOptions> topology,
    IOptions<SequencerOptions> options,
    ILogger<PartitionIntakeService> logger) : BackgroundService
{
    private readonly List<IChannel> _channels = [];
    private readonly List<(IChannel Channel, string ConsumerTag)> _consumers = [];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ReconnectLoop.RunAsync(
            ConsumeAllAsync,
            () => SequencerLog.IntakeInterrupted(logger),
            async (exception, delay) =>
            {
                SequencerLog.IntakeFailed(logger, exception, delay.TotalMilliseconds);
                await CloseChannelsAsync();
            },
            stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        (IChannel Channel, string ConsumerTag)[] consumers;
        lock (_channels)
        {
            consumers = [.. _consumers];
        }

        foreach (var (channel, consumerTag) in consumers)
        {
            try
            {
                if (channel.IsOpen)
                {
                    await channel.BasicCancelAsync(consumerTag, noWait: false, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                SequencerLog.CancelFailed(logger, ex);
            }
        }

        await base.StopAsync(cancellationToken);
        await CloseChannelsAsync();
    }

    /// <summary>
    /// Starts a consumer on this instance's preferred partitions at once and on the others after the standby delay;
    /// the returned task completes when any of them is closed.
    /// </summary>
    private async Task<Task> ConsumeAllAsync(CancellationToken stoppingToken)
    {
        await CloseChannelsAsync();
        var connection = await connections.GetConnectionAsync(stoppingToken);
        await SubmissionTopology.DeclareAsync(connection, topology.Value, stoppingToken);

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var partitions = Enumerable.Range(0, topology.Value.Partitions).ToList();
        foreach (var partition in partitions.Where(options.Value.Prefers))
        {
            await ConsumeAsync(connection, partition, closed, stoppingToken);
        }

        SequencerLog.IntakeStarted(logger, partitions.Count(options.Value.Prefers));
        var standby = partitions.Where(p => !options.Value.Prefers(p)).ToList();
        if (standby.Count > 0)
        {
            _ = ConsumeStandbyLaterAsync(connection, standby, closed, stoppingToken);
        }

        return closed.Task;
    }

    private async Task ConsumeStandbyLaterAsync(IConnection connection, List<int> partitions, TaskCompletionSource closed, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.Value.StandbyDelayMs, stoppingToken);
            if (closed.Task.IsCompleted || !connection.IsOpen)
            {
                return;
            }

            foreach (var partition in partitions)
            {
                await ConsumeAsync(connection, partition, closed, stoppingToken);
            }

            SequencerLog.StandbyStarted(logger, partitions.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            SequencerLog.IntakeFailed(logger, ex, 0);
            closed.TrySetResult();
        }
    }

    private async Task ConsumeAsync(IConnection connection, int partition, TaskCompletionSource closed, CancellationToken stoppingToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
        lock (_channels)
        {
            _channels.Add(channel);
        }

        channel.ChannelShutdownAsync += (_, _) =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await channel.BasicQosAsync(0, (ushort)Math.Min(options.Value.PrefetchPerPartition, ushort.MaxValue), false, stoppingToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, args) =>
        {
            inbox.Add(Read(partition, channel, args));
            return Task.CompletedTask;
        };
        var consumerTag = await channel.BasicConsumeAsync(BrokerNames.SubmitQueue(partition), autoAck: false, consumer, stoppingToken);
        lock (_channels)
        {
            _consumers.Add((channel, consumerTag));
        }
    }

    private static PendingDelivery Read(int partition, IChannel channel, BasicDeliverEventArgs args)
    {
        var body = args.Body.ToArray();
        var (traceParent, receivedAt) = SequencerActivity.Source.HasListeners()
            ? (AmqpTraceContext.Extract(args.BasicProperties.Headers), DateTimeOffset.UtcNow)
            : default;
        try
        {
            var submission = MessageSerializer.Deserialize<EventSubmission>(body);
            var error = Check(submission);
            return error is null
                ? new PendingDelivery(partition, channel, args.DeliveryTag, submission, body, null, traceParent, receivedAt)
                : new PendingDelivery(partition, channel, args.DeliveryTag, null, body, error, traceParent, receivedAt);
        }
        catch (Exception ex)
        {
            // Whatever cannot be read is dead-lettered: an exception escaping here would leave the message
            // unacknowledged and out of the inbox, holding a prefetch slot until the channel closes.
            return new PendingDelivery(partition, channel, args.DeliveryTag, null, body,
                ex is JsonException ? ex.Message : $"unreadable: {ex.GetType().Name}", traceParent, receivedAt);
        }
    }

    private static string? Check(EventSubmission submission)
    {
        if (submission.Events is null || submission.Events.Count == 0)
        {
            return "submission has no events";
        }

        foreach (var submitted in submission.Events)
        {
            if (submitted is null)
            {
                return "submission has a null event";
            }

            if (Fanout.Contracts.Validation.RoomId.Validate(submitted.Room) is { } roomError)
            {
                return roomError;
            }

            if (Fanout.Contracts.Validation.EventType.Validate(submitted.Type) is { } typeError)
            {
                return typeError;
            }

            if (submitted.Id == Guid.Empty || submitted.Data.ValueKind == JsonValueKind.Undefined)
            {
                return "event has no id or no data";
            }
        }

        return null;
    }

    private async Task CloseChannelsAsync()
    {
        IChannel[] channels;
        lock (_channels)
        {
            channels = [.. _channels];
            _channels.Clear();
            _consumers.Clear();
        }

        foreach (var channel in channels)
        {
            await channel.CloseQuietlyAsync();
        }
    }
}
