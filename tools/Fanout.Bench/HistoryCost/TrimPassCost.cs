namespace Fanout.Bench.HistoryCost;

/// <summary>One trimmer pass: wall time and CPU in ms, pages and rows PostgreSQL read (0 for SQLite), what it did.</summary>
public sealed record TrimPassCost(int Pass, double WallMs, double CpuMs, long Pages, long Rows, int RoomsTrimmed, long EventsDeleted)
{
    public int RoomsVisited { get; init; }
}
