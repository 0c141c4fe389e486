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
    /// The keywords the connection string itself sets, even to an empty value, lower case without spaces
    /// (NpgsqlConnectionStringBuilder answers ContainsKey for every keyword it knows, and DbConnectionStringBuilder drops
    /// empty values such as <c>Options=</c>).
    /// </summary>
    private static HashSet<string> GivenKeys(string connectionString)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        char? quote = null;
        for (var i = 0; i <= connectionString.Length; i++)
        {
            var c = i < connectionString.Length ? connectionString[i] : ';';
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ';')
            {
                var pair = connectionString[start..i];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    keys.Add(pair[..equals].Replace(" ", "", StringComparison.Ordinal).Trim().ToLowerInvariant());
                }

                start = i + 1;
            }
        }

        return keys;
    }
}
