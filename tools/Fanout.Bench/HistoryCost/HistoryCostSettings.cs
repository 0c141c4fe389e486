namespace Fanout.Bench.HistoryCost;

/// <summary>What <c>history-cost</c> builds and measures (see <see cref="HistoryCostRun"/>).</summary>
public sealed record HistoryCostSettings
{
    /// <summary><c>postgres</c> (writer and trimmer) or <c>sqlite</c> (the embedded mode's trimmer, in a temporary file).</summary>
    public string Store { get; init; } = "postgres";

    /// <summary>A connection string to the server; the run creates (and drops first) <see cref="Database"/> on it.</summary>
    public string Postgres { get; init; } = "Host=127.0.0.1;Port=5432;Username=postgres;Password=devpass;Database=postgres";

    public string Database { get; init; } = "fanout_history_cost";

    /// <summary>Rooms seeded at their retention cap.</summary>
    public int Rooms { get; init; } = 100_000;

    /// <summary>The retention cap (<c>Retention:MaxEvents</c>) and the events each seeded room holds.</summary>
    public int Cap { get; init; } = 10;

    /// <summary>Trimmer passes measured after the first one.</summary>
    public int Passes { get; init; } = 5;

    /// <summary>Seeded rooms that get one event before each measured pass (so each has one event to trim).</summary>
    public int ActiveRooms { get; init; } = 100;

    /// <summary>Writer batches measured, each of <see cref="BatchSize"/> events over <see cref="BatchRooms"/> rooms.</summary>
    public int Batches { get; init; } = 2_000;

    public int BatchSize { get; init; } = 20;

    public int BatchRooms { get; init; } = 10;
}
