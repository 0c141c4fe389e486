namespace Fanout.Bench.HistoryCost;

/// <summary>The writer's cost per batch: wall time and backend CPU in µs, pages and rows PostgreSQL read.</summary>
public sealed record WriterCost(int Batches, double WallMicrosPerBatch, double CpuMicrosPerBatch, double PagesPerBatch, double RowsPerBatch);
