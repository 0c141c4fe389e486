using System.Collections.Concurrent;
using Fanout.Contracts.Validation;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Metrics;

/// <summary>
/// Puts a room into a bounded set of <c>room_pattern</c> label values, so per-room metrics cannot grow without bound:
/// the first of <see cref="RealtimeMetricsOptions.RoomPatterns"/> it matches (the pattern itself is the value), else
/// <c>other</c>. With no patterns configured, the room's prefix before the first <c>:</c> followed by <c>:*</c>
/// (<c>chat:lobby</c> → <c>chat:*</c>; no <c>:</c> → <c>*</c>), for at most
/// <see cref="RealtimeMetricsOptions.MaxRoomPrefixes"/> distinct prefixes; rooms of later prefixes count as <c>other</c>.
/// </summary>
public sealed class RoomBuckets(IOptions<RealtimeMetricsOptions> options)
{
    public const string Other = "other";

    private readonly string[] _patterns = [.. options.Value.RoomPatterns];
    private readonly int _maxPrefixes = options.Value.MaxRoomPrefixes;
    private readonly ConcurrentDictionary<string, string> _prefixes = new(StringComparer.Ordinal);

    public string Of(string room)
    {
        if (_patterns.Length > 0)
        {
            foreach (var pattern in _patterns)
            {
                if (RoomPattern.Matches(pattern, room))
                {
                    return pattern;
                }
            }

            return Other;
        }

        var colon = room.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? string.Empty : room[..colon];
        if (_prefixes.TryGetValue(prefix, out var known))
        {
            return known;
        }

        if (_prefixes.Count >= _maxPrefixes)
        {
            return Other;
        }

        return _prefixes.GetOrAdd(prefix, p => p.Length == 0 ? "*" : p + ":*");
    }
}
