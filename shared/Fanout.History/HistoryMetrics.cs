using System.Diagnostics.Metrics;

namespace Fanout.History;

/// <summary>
/// The history store's metrics (meter <c>Fanout.History</c>): <c>fanout.history.queries</c> counts the queries the
/// history reader sends to PostgreSQL, tagged with <c>operation</c> (<c>position</c>, <c>positions</c>, <c>read</c>),
/// so reconnect storms can be checked to cost O(rooms) queries, not O(clients).
/// </summary>
public static class HistoryMetrics
{
    public const string MeterName = "Fanout.History";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Queries = Meter.CreateCounter<long>("fanout.history.queries", description: "History reader queries sent to PostgreSQL");
    private static long _total;

    /// <summary>Queries sent by this process since it started (all operations).</summary>
    public static long TotalQueries => Interlocked.Read(ref _total);

    public static void CountQuery(string operation)
    {
        Interlocked.Increment(ref _total);
        Queries.Add(1, new KeyValuePair<string, object?>("operation", operation));
    }
}
