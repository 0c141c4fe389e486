using System.CommandLine;
using System.Text.Json;
using Fanout.Bench.HistoryCost;

namespace Fanout.Bench.Cli;

/// <summary>
/// The <c>history-cost</c> command: the PostgreSQL history writer's cost per batch and the trimmer's cost per pass on a
/// database of rooms at their retention cap (<see cref="HistoryCostRun"/>). Progress on stderr, one JSON line on stdout.
/// </summary>
public static class HistoryCostCommand
{
    public static Command Build()
    {
        var defaults = new HistoryCostSettings();
        var postgres = new Option<string>("--postgres")
        {
            Description = "connection string of a PostgreSQL on this machine (default: ConnectionStrings__postgres, else the dev server)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__postgres") ?? defaults.Postgres,
        };
        var store = new Option<string>("--store") { Description = "postgres (writer and trimmer) or sqlite (trimmer)", DefaultValueFactory = _ => defaults.Store };
        store.AcceptOnlyFromAmong("postgres", "sqlite");
        var database = new Option<string>("--database") { Description = "database to create (dropped first and at the end)", DefaultValueFactory = _ => defaults.Database };
        var rooms = new Option<int>("--rooms") { Description = "rooms at their cap", DefaultValueFactory = _ => defaults.Rooms };
        var cap = new Option<int>("--cap") { Description = "Retention:MaxEvents, and the events each room holds", DefaultValueFactory = _ => defaults.Cap };
        var passes = new Option<int>("--passes") { Description = "trimmer passes measured after the first", DefaultValueFactory = _ => defaults.Passes };
        var active = new Option<int>("--active-rooms") { Description = "rooms that get one event before each pass", DefaultValueFactory = _ => defaults.ActiveRooms };
        var batches = new Option<int>("--batches") { Description = "writer batches measured", DefaultValueFactory = _ => defaults.Batches };
        var batchSize = new Option<int>("--batch-size") { Description = "events per writer batch", DefaultValueFactory = _ => defaults.BatchSize };
        var batchRooms = new Option<int>("--batch-rooms") { Description = "rooms per writer batch", DefaultValueFactory = _ => defaults.BatchRooms };
        var command = new Command("history-cost",
            "history store: the PostgreSQL writer's cost per batch, the trimmer's cost per pass over rooms at their retention cap");
        foreach (var option in new Option[] { store, postgres, database, rooms, cap, passes, active, batches, batchSize, batchRooms })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var settings = new HistoryCostSettings
            {
                Store = parse.GetValue(store)!,
                Postgres = parse.GetValue(postgres)!,
                Database = parse.GetValue(database)!,
                Rooms = Math.Clamp(parse.GetValue(rooms), 1, 999_999),
                Cap = Math.Max(parse.GetValue(cap), 1),
                Passes = Math.Max(parse.GetValue(passes), 1),
                ActiveRooms = Math.Max(parse.GetValue(active), 0),
                Batches = Math.Max(parse.GetValue(batches), 1),
                BatchSize = Math.Max(parse.GetValue(batchSize), 1),
                BatchRooms = Math.Max(parse.GetValue(batchRooms), 1),
            };
            var result = settings.Store == "sqlite"
                ? await SqliteTrimmerCostRun.RunAsync(settings, Console.Error, ct)
                : await HistoryCostRun.RunAsync(settings, Console.Error, ct);
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(result with { Settings = settings with { Postgres = "(given)" } }));
            return 0;
        });
        return command;
    }
}
