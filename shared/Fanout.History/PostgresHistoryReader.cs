using Fanout.Contracts.Wire;
using Microsoft.EntityFrameworkCore;

namespace Fanout.History;

/// <summary><see cref="IHistoryReader"/> over PostgreSQL with EF Core (no tracking).</summary>
public sealed class PostgresHistoryReader(IDbContextFactory<HistoryDbContext> contexts) : IHistoryReader
{
    public async Task<RoomPosition> GetPositionAsync(string room, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await ReadPositionAsync(db, room, cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, RoomPosition>> GetPositionsAsync(
        IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        if (rooms.Count == 0)
        {
            return new Dictionary<string, RoomPosition>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = rooms.ToArray();
        return await db.Rooms.AsNoTracking()
            .Where(r => ids.Contains(r.RoomId))
            .ToDictionaryAsync(r => r.RoomId, r => new RoomPosition(r.Epoch, r.LastSeq), cancellationToken);
    }

    public async Task<RoomHistoryPage> ReadAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var position = await ReadPositionAsync(db, room, cancellationToken);
        if (position.LastSeq <= afterSeq || limit <= 0)
        {
            return new RoomHistoryPage(position, []);
        }

        var lastSeq = position.LastSeq;
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.RoomId == room && e.Seq > afterSeq && e.Seq <= lastSeq)
            .OrderBy(e => e.Seq)
            .Take(limit)
            .ToListAsync(cancellationToken);

        var events = rows
            .Select(e => new RoomEvent(e.RoomId, e.Seq, position.Epoch, e.EventId, e.Type, EventJson.Parse(e.Data), e.PublishedAt))
            .ToList();
        return new RoomHistoryPage(position, events);
    }

    private static async Task<RoomPosition> ReadPositionAsync(HistoryDbContext db, string room, CancellationToken cancellationToken)
    {
        var record = await db.Rooms.AsNoTracking().FirstOrDefaultAsync(r => r.RoomId == room, cancellationToken);
        return record is null ? RoomPosition.Empty : new RoomPosition(record.Epoch, record.LastSeq);
    }
}
