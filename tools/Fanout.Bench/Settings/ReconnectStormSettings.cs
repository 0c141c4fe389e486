namespace Fanout.Bench.Settings;

/// <summary>The reconnect storm: at <see cref="DropAtSeconds"/> into the window the chosen clients drop for <see cref="GapSeconds"/>.</summary>
public sealed record ReconnectStormSettings
{
    public double DropAtSeconds { get; init; } = 5;

    public double GapSeconds { get; init; } = 3;

    /// <summary>Only the clients of this node (index into the node list) drop; null: every client.</summary>
    public int? NodeIndex { get; init; }
}
