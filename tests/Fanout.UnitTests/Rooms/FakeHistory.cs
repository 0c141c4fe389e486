using System.Text.Json;
using Fanout.Contracts.Wire;
using Fanout.History;

namespace Fanout.UnitTests.Rooms;

/// <summary>An in-memory history of one epoch, with a count of the reads made.</summary>
internal sealed class FakeHistory : IHistoryReader
{
    public const string Epoch = "e1";

    private readonly Dictionary<string, List<RoomEvent>> _rooms = [];
    private readonly Dictionary<string, string> _epochs = [];

    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public static RoomEvent Event(string room, long seq) =>
        new(room, seq, Epoch, Guid.NewGuid(), "t", JsonSerializer.SerializeToElement(seq), DateTimeOffset.UnixEpoch);

    /// <summary>When set, reads of positions and pages wait for it (history that answers slowly).</summary>
    public TaskCompletionSource? Blocked { get; set; }

    /// <summary>
    /// The room's history moves to <paramref name="epoch"/> holding seqs <paramref name="firstSeq"/>..<paramref name="lastSeq"/>:
    /// a reset (seqs continue: the first is the next one) or a restored database (seqs from 1, perhaps fewer than before).
    /// </summary>
    public IReadOnlyList<RoomEvent> MoveTo(string room, string epoch, int lastSeq, int firstSeq = 1)
    {
        lock (_rooms)
        {
            _epochs[room] = epoch;
            _rooms[room] = [.. Enumerable.Range(firstSeq, lastSeq - firstSeq + 1).Select(seq => Event(room, seq) with { Epoch = epoch })];
            return _rooms[room];
        }
    }

    public IReadOnlyList<RoomEvent> Append(string room, int count)
    {
        var list = _rooms.TryGetValue(room, out var existing) ? existing : _rooms[room] = [];
        var epoch = EpochOf(room);
        var last = list.Count > 0 ? list[^1].Seq : 0;
        var added = Enumerable.Range(1, count).Select(i => Event(room, last + i) with { Epoch = epoch }).ToList();
        list.AddRange(added);
        return added;
    }

    public async Task<RoomPosition> GetPositionAsync(string room, CancellationToken cancellationToken)
    {
        if (Blocked is { } blocked)
        {
            await blocked.Task;
        }

        return Position(room);
    }

    public Task<IReadOnlyDictionary<string, RoomPosition>> GetPositionsAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, RoomPosition>>(rooms.ToDictionary(r => r, Position));

    public async Task<RoomHistoryPage> ReadAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        if (Blocked is { } blocked)
        {
            await blocked.Task;
        }

        Interlocked.Increment(ref _reads);
        List<RoomEvent> events;
        lock (_rooms)
        {
            events = _rooms.TryGetValue(room, out var list) ? list.Where(e => e.Seq > afterSeq).Take(limit).ToList() : [];
        }

        return new RoomHistoryPage(Position(room), events);
    }

    private string EpochOf(string room) => _epochs.GetValueOrDefault(room, Epoch);

    private RoomPosition Position(string room) =>
        _rooms.TryGetValue(room, out var list) && list.Count > 0
            ? new RoomPosition(EpochOf(room), list[^1].Seq) { FirstSeq = list[0].Seq }
            : RoomPosition.Empty;
}
