using Fanout.Contracts.Validation;

namespace Fanout.Ingest.Auth;

/// <summary>A configured key as authentication uses it: its name, hash, room patterns and rate limit; never the key.</summary>
public sealed class ApiKey(string name, byte[] hash, IReadOnlyList<string> rooms, ApiKeyLimit limit)
{
    public const string EveryRoom = "*";

    public string Name { get; } = name;

    /// <summary>SHA-256 of the key (<see cref="ApiKeyHash"/>).</summary>
    public byte[] Hash { get; } = hash;

    /// <summary>The room patterns the key may use (<see cref="RoomPattern"/>), never empty.</summary>
    public IReadOnlyList<string> Rooms { get; } = rooms.Count == 0 ? [EveryRoom] : rooms;

    public ApiKeyLimit Limit { get; } = limit;

    /// <summary>Whether a pattern of the key matches every room (<c>*</c>).</summary>
    public bool MayUseEveryRoom => Rooms.Any(pattern => pattern.All(c => c == '*'));

    public bool MayUse(string room) => Rooms.Any(pattern => RoomPattern.Matches(pattern, room));
}
