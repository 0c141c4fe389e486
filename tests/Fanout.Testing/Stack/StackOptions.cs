namespace Fanout.Testing.Stack;

/// <summary>What a test stack runs.</summary>
public sealed record StackOptions
{
    /// <summary>
    /// <see cref="StackMode.Distributed"/>: the parts as separate processes on the test servers;
    /// <see cref="StackMode.Embedded"/>: one Fanout.Embedded process with its own SQLite file (the counts below are ignored).
    /// </summary>
    public StackMode Mode { get; init; } = StackMode.Distributed;

    public int Sequencers { get; init; } = 2;

    public int RealtimeNodes { get; init; } = 2;

    public int Partitions { get; init; } = 8;

    /// <summary>Whether the presence service runs (dead-node detection, join/leave relay).</summary>
    public bool Presence { get; init; } = true;

    /// <summary>Extra settings for every process (configuration keys with ':').</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}
