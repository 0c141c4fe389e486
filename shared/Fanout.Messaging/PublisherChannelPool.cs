using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// Confirm-mode channels for publishing, one publish at a time each. Declares the submit topology once per
/// connection before the first channel of that connection is handed out.
/// </summary>
public sealed class PublisherChannelPool : IAsyncDisposable
{
    private static readonly CreateChannelOptions ConfirmOptions = new(
        publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    private readonly RabbitMqConnectionSource _connections;
    private readonly TopologyOptions _topology;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _declareGate = new(1, 1);
    private readonly ConcurrentBag<IChannel> _idle = [];
    private IConnection? _declaredFor;

    public PublisherChannelPool(RabbitMqConnectionSource connections, IOptions<TopologyOptions> topology, IOptions<SubmitterOptions> options)
    {
        _connections = connections;
        _topology = topology.Value;
        _slots = new SemaphoreSlim(options.Value.MaxChannels, options.Value.MaxChannels);
    }

    public async Task<IChannel> RentAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            while (_idle.TryTake(out var channel))
            {
                if (channel.IsOpen)
                {
                    return channel;
                }

                channel.Dispose();
            }

            var connection = await _connections.GetConnectionAsync(cancellationToken);
            await EnsureTopologyAsync(connection, cancellationToken);
            return await connection.CreateChannelAsync(ConfirmOptions, cancellationToken);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>Returns a channel after a successful publish; a failed one is <paramref name="broken"/> and closed.</summary>
    public void Return(IChannel channel, bool broken)
    {
        if (broken || !channel.IsOpen)
        {
            channel.Dispose();
        }
        else
        {
            _idle.Add(channel);
        }

        _slots.Release();
    }

    public ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var channel))
        {
            channel.Dispose();
        }

        _slots.Dispose();
        _declareGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task EnsureTopologyAsync(IConnection connection, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(Volatile.Read(ref _declaredFor), connection))
        {
            return;
        }

        await _declareGate.WaitAsync(cancellationToken);
        try
        {
            if (ReferenceEquals(_declaredFor, connection))
            {
                return;
            }

            await SubmissionTopology.DeclareAsync(connection, _topology, cancellationToken);
            Volatile.Write(ref _declaredFor, connection);
        }
        finally
        {
            _declareGate.Release();
        }
    }
}
