using System.Text.Json;
using Fanout.Contracts.Wire;
using Fanout.History;

namespace Fanout.UnitTests.Rooms;

/// <summary>An in-memory history of one epoch, with a count of the reads made.</summary>
internal sealed class FakeHistory : IHistoryReader
{
    public const string Epoch = "e1";

    private readonly Dictionary<string, List<RoomEvent>> _rooms = [];

    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public static RoomEvent Event(string room, long seq) =>
        new(room, seq, Epoch, Guid.NewGuid(), "t", JsonSerializer.SerializeToElement(seq), DateTimeOffset.UnixEpoch);

    public IReadOnlyList<RoomEvent> Append(string room, int count)
    {
        var list = _rooms.TryGetValue(room, out var existing) ? existing : _rooms[room] = [];
        var added = Enumerable.Range(1, count).Select(i => Event(room, list.Count + i)).ToList();
        list.AddRange(added);
        return added;
    }

    public Task<RoomPosition> GetPositionAsync(string room, CancellationToken cancellationToken) => Task.FromResult(Position(room));

    public Task<IReadOnlyDictionary<string, RoomPosition>> GetPositionsAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, RoomPosition>>(rooms.ToDictionary(r => r, Position));

    public Task<RoomHistoryPage> ReadAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        List<RoomEvent> events;
        lock (_rooms)
        {
            events = _rooms.TryGetValue(room, out var list) ? list.Where(e => e.Seq > afterSeq).Take(limit).ToList() : [];
        }

        return Task.FromResult(new RoomHistoryPage(Position(room), events));
    }

    private RoomPosition Position(string room) =>
        _rooms.TryGetValue(room, out var list) && list.Count > 0 ? new RoomPosition(Epoch, list.Count) : RoomPosition.Empty;
}
