using System.Text;
using Fanout.Messaging;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Committing;

/// <summary>
/// Where a submission that can never be stored goes (<c>fanout.submit.dead</c>, durable), with the reason in the
/// <c>x-fanout-error</c> header, so it never blocks its partition.
/// </summary>
public sealed class DeadLetterQueue(RabbitMqConnectionSource connections) : IAsyncDisposable
{
    public const string QueueName = "fanout.submit.dead";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public async Task PublishAsync(int partition, ReadOnlyMemory<byte> body, string reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is not { IsOpen: true })
            {
                var connection = await connections.GetConnectionAsync(cancellationToken);
                _channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                    cancellationToken);
                await _channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false,
                    cancellationToken: cancellationToken);
            }

            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                Headers = new Dictionary<string, object?>
                {
                    ["x-fanout-error"] = Encoding.UTF8.GetBytes(reason.Length > 1_000 ? reason[..1_000] : reason),
                    ["x-fanout-partition"] = partition,
                },
            };
            await _channel.BasicPublishAsync(string.Empty, QueueName, mandatory: true, properties, body, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _gate.Dispose();
    }
}
