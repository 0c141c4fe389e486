namespace Fanout.Realtime.Memory;

/// <summary>
/// Decides, from the connection count seen at each check, when to trim: once the count has fallen by at least
/// <see cref="MemoryTrimOptions.MinClosedConnections"/> from its highest value and did not rise again since the previous
/// check (a reconnect storm refills it at once, and then there is nothing to give back). After a trim the highest value
/// starts again from the current count. No I/O, no clock: <see cref="MemoryTrimService"/> feeds it.
/// </summary>
public sealed class MemoryTrimPolicy(int minClosedConnections)
{
    private int _peak;
    private int? _previous;

    /// <summary>True when the node should trim now.</summary>
    public bool ShouldTrim(int connections)
    {
        var settled = _previous is { } previous && connections <= previous;
        _previous = connections;
        _peak = Math.Max(_peak, connections);
        if (!settled || _peak - connections < minClosedConnections)
        {
            return false;
        }

        _peak = connections;
        return true;
    }
}
