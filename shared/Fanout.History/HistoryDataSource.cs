using System.Data.Common;
using Npgsql;

namespace Fanout.History;

/// <summary>
/// Builds the PostgreSQL data source from <c>ConnectionStrings:postgres</c> with the defaults the event path needs,
/// each kept when the connection string sets it itself:
/// <list type="bullet">
/// <item><c>Max Auto Prepare=32</c>: the sequencer's and the nodes' few statements are prepared on each connection
/// after their second use, so PostgreSQL stops parsing and planning them per batch (that was a third of its CPU in the
/// steady benchmark: docs/benchmarks.md).</item>
/// <item><c>Auto Prepare Min Usages=2</c>.</item>
/// <item><c>Options=-c plan_cache_mode=force_generic_plan</c>: a prepared statement is planned once per connection.
/// With its default (<c>auto</c>) PostgreSQL kept planning the sequencer's insert for each batch's parameter values
/// (a custom plan looks cheaper for array parameters), which was most of the planning cost left after
/// preparing. Every Fanout statement is an index lookup by room or event id, which a generic plan does as well.</item>
/// <item><c>No Reset On Close=true</c>: Fanout never changes session state, so a pooled connection needs no reset
/// round trip before its next use.</item>
/// </list>
/// </summary>
public static class HistoryDataSource
{
    public static NpgsqlDataSource Create(string connectionString)
    {
        var given = GivenKeys(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (!given.Contains("maxautoprepare"))
        {
            settings.MaxAutoPrepare = 32;
        }

        if (!given.Contains("autoprepareminusages"))
        {
            settings.AutoPrepareMinUsages = 2;
        }

        if (!given.Contains("options"))
        {
            settings.Options = "-c plan_cache_mode=force_generic_plan";
        }

        if (!given.Contains("noresetonclose"))
        {
            settings.NoResetOnClose = true;
        }

        return builder.Build();
    }

    /// <summary>
    /// The keywords the connection string itself sets, lower case without spaces (NpgsqlConnectionStringBuilder answers
    /// ContainsKey for every keyword it knows, set or not).
    /// </summary>
    private static HashSet<string> GivenKeys(string connectionString)
    {
        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        return parsed.Keys.Cast<string>().Select(key => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
    }
}
