namespace Fanout.Bench.HistoryCost;

/// <summary>What <c>history-cost</c> measured; no writer cost for SQLite.</summary>
public sealed record HistoryCostResult(HistoryCostSettings Settings, WriterCost? Writer, IReadOnlyList<TrimPassCost> Passes);
