namespace Fanout.HubProtocol;

/// <summary>
/// Received bytes not yet read as records: the socket writes at the end, records are read from the start up to each
/// record separator. It grows only for a record larger than it, and reuses its space once read, so receiving costs no
/// allocation per message.
/// </summary>
internal sealed class RecordBuffer(int initialSize)
{
    private byte[] _bytes = new byte[initialSize];
    private int _start;
    private int _end;

    /// <summary>Whether a partial record is waiting for the rest of its bytes.</summary>
    public bool HasPartialRecord => _end > _start;

    /// <summary>Space for at least <paramref name="sizeHint"/> more bytes, after what is unread.</summary>
    public Memory<byte> GetMemory(int sizeHint)
    {
        if (_bytes.Length - _end < sizeHint && _start > 0)
        {
            _bytes.AsSpan(_start, _end - _start).CopyTo(_bytes);
            (_start, _end) = (0, _end - _start);
        }

        if (_bytes.Length - _end < sizeHint)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _end + sizeHint));
        }

        return _bytes.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    /// <summary>
    /// The next whole record, without its separator. The span is valid until the buffer is next written to (read it
    /// before receiving again).
    /// </summary>
    public bool TryRead(out ReadOnlySpan<byte> record)
    {
        var unread = _bytes.AsSpan(_start, _end - _start);
        var end = unread.IndexOf(HubRecords.RecordSeparator);
        if (end < 0)
        {
            record = default;
            return false;
        }

        record = unread[..end];
        _start += end + 1;
        if (_start == _end)
        {
            (_start, _end) = (0, 0);
        }

        return true;
    }
}
