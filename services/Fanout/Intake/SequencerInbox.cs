using System.Threading.Channels;

namespace Fanout.Sequencer.Intake;

/// <summary>
/// Deliveries from every partition this instance consumes, in the order each partition's consumer received
/// them (the broker's order: each partition queue has one active consumer and one channel here).
/// </summary>
public sealed class SequencerInbox
{
    private readonly Channel<PendingDelivery> _channel = Channel.CreateUnbounded<PendingDelivery>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    public ChannelReader<PendingDelivery> Reader => _channel.Reader;

    public void Add(PendingDelivery delivery)
    {
        if (!_channel.Writer.TryWrite(delivery))
        {
            throw new InvalidOperationException("The sequencer inbox is closed.");
        }
    }
}
