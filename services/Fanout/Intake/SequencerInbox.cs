using System.Threading.Channels;

namespace Fanout.Sequencer.Intake;

/// <summary>
/// Deliveries from every partition this instance consumes, in the order each partition's consumer received
/// them (the broker's order: each partition queue has one active consumer and one channel here).
/// A delivery whose channel has closed is dropped when it is read: the broker has already put it back on its queue,
/// ahead of everything after it, and delivers it again on the next channel. Storing it from here could store it
/// before the earlier deliveries of that channel that a failed batch left unstored (and so out of publish order).
/// </summary>
public sealed class SequencerInbox
{
    private readonly Channel<PendingDelivery> _channel = Channel.CreateUnbounded<PendingDelivery>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private long _count;

    /// <summary>For waiting (<c>WaitToReadAsync</c>); take deliveries with <see cref="TryRead"/>, which keeps <see cref="Count"/>.</summary>
    public ChannelReader<PendingDelivery> Reader => _channel.Reader;

    /// <summary>Deliveries waiting (the single-reader channel cannot count itself).</summary>
    public long Count => Interlocked.Read(ref _count);

    public void Add(PendingDelivery delivery)
    {
        Interlocked.Increment(ref _count);
        if (!_channel.Writer.TryWrite(delivery))
        {
            Interlocked.Decrement(ref _count);
            throw new InvalidOperationException("The sequencer inbox is closed.");
        }
    }

    /// <summary>The next delivery whose channel is still open; those of closed channels before it are dropped.</summary>
    public bool TryRead(out PendingDelivery delivery)
    {
        while (_channel.Reader.TryRead(out delivery!))
        {
            Interlocked.Decrement(ref _count);
            if (delivery.Channel.IsOpen)
            {
                return true;
            }
        }

        return false;
    }
}
