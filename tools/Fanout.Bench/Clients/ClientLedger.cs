namespace Fanout.Bench.Clients;

/// <summary>
/// What one client received from its room: a copy count per event (index j = k / rooms), the highest seq and the
/// epoch seen, and how many first copies arrived with a seq below one already seen (out of order).
/// </summary>
public sealed class ClientLedger(int roomIndex, int rooms)
{
    private readonly Lock _lock = new();
    private byte[] _copies = new byte[1024];
    private long _lastSeq;
    private string? _epoch;
    private long _outOfOrder;
    private long _wrongRoom;

    public long LastSeq { get { lock (_lock) { return _lastSeq; } } }

    public string? Epoch { get { lock (_lock) { return _epoch; } } }

    public long OutOfOrder { get { lock (_lock) { return _outOfOrder; } } }

    public long WrongRoom { get { lock (_lock) { return _wrongRoom; } } }

    /// <summary>Records a receipt; returns 1 for a first copy, 2+ for a duplicate, 0 for an event of another room.</summary>
    public int Record(long k, long seq, string? epoch)
    {
        lock (_lock)
        {
            if (k < 0 || k % rooms != roomIndex)
            {
                _wrongRoom++;
                return 0;
            }

            var j = (int)(k / rooms);
            if (j >= _copies.Length)
            {
                Array.Resize(ref _copies, Math.Max(j + 1, _copies.Length * 2));
            }

            var copies = _copies[j] == byte.MaxValue ? byte.MaxValue : ++_copies[j];
            if (copies == 1 && seq < _lastSeq)
            {
                _outOfOrder++;
            }

            _lastSeq = Math.Max(_lastSeq, seq);
            _epoch = string.IsNullOrEmpty(epoch) ? _epoch : epoch;
            return copies;
        }
    }

    /// <summary>The position a subscribe answered with, so a later resubscribe starts from there if no event came.</summary>
    public void SubscribedAt(long lastSeq, string? epoch)
    {
        lock (_lock)
        {
            _lastSeq = Math.Max(_lastSeq, lastSeq);
            _epoch = string.IsNullOrEmpty(epoch) ? _epoch : epoch;
        }
    }

    /// <summary>How many copies of event <paramref name="k"/> (of this client's room) arrived.</summary>
    public int CopiesOf(long k)
    {
        var j = k / rooms;
        lock (_lock)
        {
            return j < _copies.Length ? _copies[j] : 0;
        }
    }
}
