using System.Diagnostics;
using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History;
using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fanout.Bench.HistoryCost;

/// <summary>
/// The cost of the PostgreSQL history's two background costs, on a database of its own: the sequenced writer per batch
/// (what the sequencer pays for every batch, epochs included) and the trimmer per pass on a database with
/// <see cref="HistoryCostSettings.Rooms"/> rooms at their retention cap, some of them written between passes. Wall
/// time, the CPU of the backends that ran the statements, and the pages and rows PostgreSQL read.
/// </summary>
public static class HistoryCostRun
{
    private const int Connections = 2;

    public static async Task<HistoryCostResult> RunAsync(HistoryCostSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(settings.Postgres);
        await using var monitor = NpgsqlDataSource.Create(admin.ConnectionString);
        await RecreateAsync(monitor, settings.Database, cancellationToken);
        var target = new NpgsqlConnectionStringBuilder(settings.Postgres)
        {
            Database = settings.Database,
            MaxPoolSize = Connections,
            MinPoolSize = Connections,
            ConnectionIdleLifetime = 3600,
        };
        await using var setup = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(settings.Postgres) { Database = settings.Database }.ConnectionString);
        await using var measured = NpgsqlDataSource.Create(target.ConnectionString);
        await using (var db = new HistoryDbContext(new DbContextOptionsBuilder<HistoryDbContext>().UseNpgsql(setup).Options))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        var meter = new BackendMeter(measured, monitor, settings.Database, Connections);
        await meter.StartAsync(cancellationToken);
        var writer = new PostgresSequencedHistoryWriter(measured);
        var write = await MeasureWriterAsync(settings, writer, meter, cancellationToken);
        log.WriteLine($"writer: {write.Batches} batches of {settings.BatchSize} events over {settings.BatchRooms} rooms: " +
            $"{write.WallMicrosPerBatch:F0} µs wall, {write.CpuMicrosPerBatch:F0} µs backend CPU, {write.PagesPerBatch:F1} pages, {write.RowsPerBatch:F1} rows per batch");

        var seedClock = Stopwatch.StartNew();
        await SeedAsync(setup, settings, cancellationToken);
        log.WriteLine($"seeded {settings.Rooms} rooms × {settings.Cap} events in {seedClock.Elapsed.TotalSeconds:F1} s");

        var retention = new RetentionOptions { MaxEvents = settings.Cap, MaxAge = TimeSpan.FromDays(1) };
        HistoryTrimmer NewTrimmer() => new(measured, new RetentionPolicy(Options.Create(retention)),
            new HistoryIncarnation(measured, NullLogger<HistoryIncarnation>.Instance), Options.Create(retention), Options.Create(new IdempotencyOptions()));
        var trimmer = NewTrimmer();
        var passes = new List<TrimPassCost>();
        for (var pass = 0; pass <= settings.Passes + 1; pass++)
        {
            // The last pass is the first of a new trimmer, as after a restart: every room, none of them due.
            var restart = pass == settings.Passes + 1;
            if (pass > 0)
            {
                await TouchAsync(writer, settings, pass, cancellationToken);
            }

            var cost = await MeasurePassAsync(restart ? NewTrimmer() : trimmer, meter, pass, cancellationToken);
            passes.Add(cost);
            log.WriteLine($"trimmer pass {pass}{Label(pass, restart)}: {cost.WallMs:F0} ms wall, {cost.CpuMs:F0} ms backend CPU, " +
                $"{cost.Pages} pages, {cost.Rows} rows read; visited {cost.RoomsVisited} rooms, trimmed {cost.RoomsTrimmed} rooms, {cost.EventsDeleted} events");
        }

        await using var drop = NpgsqlDataSource.Create(admin.ConnectionString);
        await RecreateAsync(drop, settings.Database, cancellationToken, createAgain: false);
        return new HistoryCostResult(settings, write, passes);
    }

    private static async Task<WriterCost> MeasureWriterAsync(
        HistoryCostSettings settings, PostgresSequencedHistoryWriter writer, BackendMeter meter, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToElement(new { text = "history-cost" });
        List<SubmittedEvent> Batch(int n) => Enumerable.Range(0, settings.BatchSize)
            .Select(i => new SubmittedEvent(EventIds.New(), $"w:{(n * settings.BatchSize + i) % settings.BatchRooms}", "t", data, DateTimeOffset.UtcNow))
            .ToList();

        for (var n = 0; n < Math.Min(200, settings.Batches); n++)
        {
            await writer.AppendAsync(Batch(n), cancellationToken);
        }

        var before = await meter.ReadAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < settings.Batches; n++)
        {
            await writer.AppendAsync(Batch(n), cancellationToken);
        }

        var wall = clock.Elapsed;
        var spent = await meter.ReadAsync(cancellationToken) - before;
        var batches = Math.Max(settings.Batches, 1);
        return new WriterCost(settings.Batches, wall.TotalMicroseconds / batches, spent.CpuSeconds * 1e6 / batches,
            (double)spent.Pages / batches, (double)spent.Rows / batches);
    }

    private static async Task<TrimPassCost> MeasurePassAsync(HistoryTrimmer trimmer, BackendMeter meter, int pass, CancellationToken cancellationToken)
    {
        var before = await meter.ReadAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var result = await trimmer.RunPassAsync(cancellationToken) ?? throw new InvalidOperationException("another process holds the trimmer lock");
        var wall = clock.Elapsed;
        var spent = await meter.ReadAsync(cancellationToken) - before;
        return new TrimPassCost(pass, wall.TotalMilliseconds, spent.CpuSeconds * 1e3, spent.Pages, spent.Rows, result.Rooms, result.Events)
        {
            RoomsVisited = result.RoomsVisited,
        };
    }

    /// <summary>" (first)" for the first pass, " (new process)" for the first pass of a second trimmer.</summary>
    public static string Label(int pass, bool restart) => restart ? " (new process)" : pass == 0 ? " (first)" : string.Empty;

    /// <summary>The <see cref="HistoryCostSettings.ActiveRooms"/> seeded rooms written before a pass, spread over all of them.</summary>
    public static IEnumerable<string> ActiveRooms(HistoryCostSettings settings, int pass)
    {
        var stride = Math.Max(settings.Rooms / Math.Max(settings.ActiveRooms, 1), 1);
        return Enumerable.Range(0, Math.Min(settings.ActiveRooms, settings.Rooms)).Select(i => RoomId(1 + (i * stride + pass) % settings.Rooms));
    }

    /// <summary>One event in each active room.</summary>
    private static async Task TouchAsync(PostgresSequencedHistoryWriter writer, HistoryCostSettings settings, int pass, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToElement(new { pass });
        foreach (var chunk in ActiveRooms(settings, pass).Chunk(500))
        {
            await writer.AppendAsync(chunk.Select(room => new SubmittedEvent(EventIds.New(), room, "t", data, DateTimeOffset.UtcNow)).ToList(), cancellationToken);
        }
    }

    private static string RoomId(int n) => $"cap:{n:D6}";

    /// <summary>Rooms <c>cap:000001</c>… each holding seqs 1..cap, stored now, as the writer would have left them.</summary>
    private static async Task SeedAsync(NpgsqlDataSource setup, HistoryCostSettings settings, CancellationToken cancellationToken)
    {
        var (rooms, cap) = (settings.Rooms, settings.Cap);
        bool storedEpochs;
        await using (var probe = setup.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'rooms' AND column_name = 'client_epoch')"))
        {
            storedEpochs = (bool)(await probe.ExecuteScalarAsync(cancellationToken))!;
        }

        // With stored epochs (client_epoch), the value the writer would have stored.
        var (epochColumn, epochValue) = storedEpochs ? (", client_epoch", ", fanout_epoch(id, '')") : ("", "");
        foreach (var sql in new[]
        {
            $"""
            INSERT INTO rooms (room_id, epoch, last_seq{epochColumn})
            SELECT id, '', {cap}{epochValue} FROM (SELECT 'cap:' || lpad(g::text, 6, '0') AS id FROM generate_series(1, {rooms}) g) q
            """,
            $$"""
            INSERT INTO room_events (room_id, seq, event_id, type, data, published_at)
            SELECT r.room_id, s, gen_random_uuid(), 't', '{"text":"seed"}', now()
            FROM rooms r CROSS JOIN generate_series(1, {{cap}}) s WHERE r.room_id LIKE 'cap:%'
            """,
            "VACUUM ANALYZE",
        })
        {
            await using var command = setup.CreateCommand(sql);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task RecreateAsync(NpgsqlDataSource admin, string database, CancellationToken cancellationToken, bool createAgain = true)
    {
        var name = new NpgsqlCommandBuilder().QuoteIdentifier(database);
        await using (var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }

        if (createAgain)
        {
            await using var create = admin.CreateCommand($"CREATE DATABASE {name}");
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
