using Fanout.Bench.Metrics;
using Npgsql;

namespace Fanout.Bench.HistoryCost;

/// <summary>
/// What PostgreSQL spent on the statements of one data source: the CPU time of its backends (from <c>/proc</c>, so the
/// server must run on this machine) and the pages and rows the database read (<c>pg_stat_database</c>). The monitor
/// connects to another database, so its own reads are not counted. The data source keeps a fixed set of connections
/// (<see cref="Connections"/>), so the backends are the same for the whole run.
/// </summary>
public sealed class BackendMeter(NpgsqlDataSource measured, NpgsqlDataSource monitor, string database, int connections)
{
    private const string DatabaseStatsSql = """
        SELECT blks_hit + blks_read, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = $1
        """;

    private List<int> _pids = [];

    public int Connections => connections;

    /// <summary>Opens every connection of the pool at once and notes the pid of each one's backend.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var open = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                open.Add(await measured.OpenConnectionAsync(cancellationToken));
            }

            _pids = open.Select(c => c.ProcessID).ToList();
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public async Task<Reading> ReadAsync(CancellationToken cancellationToken)
    {
        // Backends report their counters to pg_stat_database at most once a second, and an idle one only later; each
        // one is asked to report at the end of its next transaction, which is this one.
        var open = new List<NpgsqlConnection>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var connection = await measured.OpenConnectionAsync(cancellationToken);
                open.Add(connection);
                await using var flush = new NpgsqlCommand("SELECT pg_stat_force_next_flush()", connection);
                await flush.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }

        var cpu = _pids.Sum(pid => ProcStat.ProcessCpuSeconds(pid) ?? throw new InvalidOperationException(
            $"cannot read /proc/{pid}/stat: the PostgreSQL server must run on this machine"));
        await using var stats = monitor.CreateCommand(DatabaseStatsSql);
        stats.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database });
        await using var reader = await stats.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Reading(cpu, reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Backend CPU seconds, pages read (shared buffer hits and reads), rows read (returned and fetched).</summary>
    public readonly record struct Reading(double CpuSeconds, long Pages, long Rows)
    {
        public static Reading operator -(Reading a, Reading b) => new(a.CpuSeconds - b.CpuSeconds, a.Pages - b.Pages, a.Rows - b.Rows);
    }
}
