namespace Fanout.Bench.HistoryCost;

/// <summary>The writer's cost per batch: wall time and backend CPU in µs, pages and rows PostgreSQL read.</summary>
public sealed record WriterCost(int Batches, double WallMicrosPerBatch, double CpuMicrosPerBatch, double PagesPerBatch, double RowsPerBatch);

/// <summary>One trimmer pass: wall time and backend CPU in ms, pages and rows PostgreSQL read, what it trimmed.</summary>
public sealed record TrimPassCost(int Pass, double WallMs, double CpuMs, long Pages, long Rows, int RoomsTrimmed, long EventsDeleted);

public sealed record HistoryCostResult(HistoryCostSettings Settings, WriterCost Writer, IReadOnlyList<TrimPassCost> Passes);
