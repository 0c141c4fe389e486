using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;
using Microsoft.Extensions.Options;

namespace Fanout.History.Retention;

/// <summary>The limits of one room: the first matching rule of <see cref="RetentionOptions"/>, then its defaults.</summary>
public sealed class RetentionPolicy(IOptions<RetentionOptions> options)
{
    private readonly RetentionOptions _options = options.Value;

    public RoomLimits For(string room)
    {
        foreach (var rule in _options.Rules)
        {
            if (RoomPattern.Matches(rule.Pattern, room))
            {
                return new RoomLimits(rule.MaxEvents ?? _options.MaxEvents, rule.MaxAge ?? _options.MaxAge);
            }
        }

        return new RoomLimits(_options.MaxEvents, _options.MaxAge);
    }

    /// <summary>
    /// The first seq a room at <paramref name="position"/> may still serve: its stored first retained seq, raised by
    /// the count limit at once (the trimmer deletes the rows a moment later).
    /// </summary>
    public long FloorOf(string room, RoomPosition position) => Math.Max(position.FirstSeq, position.LastSeq - For(room).MaxEvents + 1);

    /// <summary>The room's limits and the first seq it serves at <paramref name="position"/>, as the HTTP history answers say them.</summary>
    public RoomRetentionResponse Describe(string room, RoomPosition position)
    {
        var limits = For(room);
        return new RoomRetentionResponse(limits.MaxEvents, (long)limits.MaxAge.TotalSeconds, FloorOf(room, position));
    }
}

/// <summary>How much history one room keeps.</summary>
public readonly record struct RoomLimits(int MaxEvents, TimeSpan MaxAge);
