using System.Diagnostics.Metrics;
using Fanout.Messaging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Metrics;

/// <summary>
/// Every <see cref="PollInterval"/>: asks RabbitMQ how many messages are ready in each partition queue (a passive
/// declare, which changes nothing) and keeps the counts for the <c>fanout.sequencer.partition.backlog</c> gauge.
/// Every instance polls every partition (a standby sees the backlog too); a partition whose count could not be read
/// has no value until it can.
/// </summary>
public sealed class PartitionBacklog(
    RabbitMqConnectionSource connections,
    IOptions<TopologyOptions> topology,
    ILogger<PartitionBacklog> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    private readonly long[] _ready = Enumerable.Repeat(-1L, topology.Value.Partitions).ToArray();
    private readonly KeyValuePair<string, object?>[] _tags =
        [.. Enumerable.Range(0, topology.Value.Partitions).Select(p => new KeyValuePair<string, object?>("partition", p.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    public IEnumerable<Measurement<long>> Observe()
    {
        var measurements = new List<Measurement<long>>(_ready.Length);
        for (var partition = 0; partition < _ready.Length; partition++)
        {
            var ready = Volatile.Read(ref _ready[partition]);
            if (ready >= 0)
            {
                measurements.Add(new Measurement<long>(ready, _tags[partition]));
            }
        }

        return measurements;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        IChannel? channel = null;
        try
        {
            do
            {
                try
                {
                    if (channel is not { IsOpen: true })
                    {
                        await channel.CloseQuietlyAsync();
                        var connection = await connections.GetConnectionAsync(stoppingToken);
                        channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken);
                    }

                    for (var partition = 0; partition < _ready.Length; partition++)
                    {
                        var queue = await channel.QueueDeclarePassiveAsync(BrokerNames.SubmitQueue(partition), stoppingToken);
                        Volatile.Write(ref _ready[partition], queue.MessageCount);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A missing queue closes the channel; the next poll opens another. Unknown counts are not reported.
                    Array.Fill(_ready, -1L);
                    SequencerLog.BacklogPollFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await channel.CloseQuietlyAsync();
        }
    }
}
