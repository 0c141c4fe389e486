using System.Diagnostics;
using System.Text.Json;
using Fanout.Bench.Metrics;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Fanout.History.Sqlite;
using Microsoft.Extensions.Options;

namespace Fanout.Bench.HistoryCost;

/// <summary>
/// The embedded mode's trimmer per pass, as <see cref="HistoryCostRun"/> measures PostgreSQL's: a SQLite history file
/// in a temporary directory with <see cref="HistoryCostSettings.Rooms"/> rooms at their cap, some written between passes.
/// SQLite runs in this process, so the CPU is this process's; the file is deleted at the end.
/// </summary>
public static class SqliteTrimmerCostRun
{
    public static async Task<HistoryCostResult> RunAsync(HistoryCostSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "fanout-history-cost-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using var database = SqliteHistoryDatabase.Open(new SqliteHistoryOptions { DataDirectory = directory });
            var seedClock = Stopwatch.StartNew();
            await database.WriteAsync(write =>
            {
                var seed = write.Command($$"""
                    WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {{settings.Rooms}})
                    INSERT INTO rooms (room_id, epoch, last_seq, first_seq, created_at) SELECT printf('cap:%06d', n), '', {{settings.Cap}}, 1, 0 FROM g;
                    WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {{settings.Cap}})
                    INSERT INTO room_events (room_id, seq, event_id, type, data, published_at, stored_at)
                    SELECT r.room_id, s.n, randomblob(16), 't', '{"text":"seed"}', {{DateTimeOffset.UtcNow.UtcTicks}}, {{DateTimeOffset.UtcNow.UtcTicks}}
                    FROM rooms r, s;
                    """);
                return seed.ExecuteNonQuery();
            }, cancellationToken);
            log.WriteLine($"sqlite: seeded {settings.Rooms} rooms × {settings.Cap} events in {seedClock.Elapsed.TotalSeconds:F1} s");

            var retention = new RetentionOptions { MaxEvents = settings.Cap, MaxAge = TimeSpan.FromDays(1) };
            IHistoryTrimmer NewTrimmer() => new SqliteHistoryTrimmer(database, new RetentionPolicy(Options.Create(retention)), Options.Create(retention),
                Options.Create(new IdempotencyOptions()));
            var writer = new SqliteSequencedHistoryWriter(database);
            var trimmer = NewTrimmer();
            var passes = new List<TrimPassCost>();
            for (var pass = 0; pass <= settings.Passes + 1; pass++)
            {
                var restart = pass == settings.Passes + 1;
                if (pass > 0)
                {
                    await TouchAsync(writer, settings, pass, cancellationToken);
                }

                var cost = await MeasurePassAsync(restart ? NewTrimmer() : trimmer, pass, cancellationToken);
                passes.Add(cost);
                log.WriteLine($"sqlite trimmer pass {pass}{HistoryCostRun.Label(pass, restart)}: {cost.WallMs:F0} ms wall, {cost.CpuMs:F0} ms CPU (this process); " +
                    $"visited {cost.RoomsVisited} rooms, trimmed {cost.RoomsTrimmed} rooms, {cost.EventsDeleted} events");
            }

            return new HistoryCostResult(settings, null, passes);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static async Task<TrimPassCost> MeasurePassAsync(IHistoryTrimmer trimmer, int pass, CancellationToken cancellationToken)
    {
        var cpu = ProcStat.ProcessCpuSeconds(Environment.ProcessId) ?? 0;
        var clock = Stopwatch.StartNew();
        var result = (await trimmer.RunPassAsync(cancellationToken))!;
        var wall = clock.Elapsed;
        var spent = (ProcStat.ProcessCpuSeconds(Environment.ProcessId) ?? 0) - cpu;
        return new TrimPassCost(pass, wall.TotalMilliseconds, spent * 1e3, 0, 0, result.Rooms, result.Events) { RoomsVisited = result.RoomsVisited };
    }

    private static async Task TouchAsync(SqliteSequencedHistoryWriter writer, HistoryCostSettings settings, int pass, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToElement(new { pass });
        var events = HistoryCostRun.ActiveRooms(settings, pass)
            .Select(room => new SubmittedEvent(EventIds.New(), room, "t", data, DateTimeOffset.UtcNow)).ToList();
        if (events.Count > 0)
        {
            await writer.AppendAsync(events, cancellationToken);
        }
    }
}
