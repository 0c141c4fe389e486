using System.Text;
using Fanout.Messaging;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Committing;

/// <summary>
/// Where a submission that can never be stored goes (<c>fanout.submit.dead</c>, durable), with the reason in the
/// <c>x-fanout-error</c> header, so it never blocks its partition. Publisher-confirmed.
/// </summary>
public sealed class DeadLetterQueue(RabbitMqConnectionSource connections) : IAsyncDisposable
{
    public const string QueueName = "fanout.submit.dead";

    /// <summary>Longest wait for one publish and its confirm (a blocked or silent broker); the committer then tries again.</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private readonly ReusableChannel _channel = new(
        connections,
        new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
        (channel, ct) => channel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct));

    public Task PublishAsync(int partition, ReadOnlyMemory<byte> body, string reason, CancellationToken cancellationToken)
    {
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
        return _channel.UseAsync(
            channel => channel.BasicPublishAsync(string.Empty, QueueName, mandatory: true, properties, body, cancellationToken).AsTask(),
            cancellationToken);
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
