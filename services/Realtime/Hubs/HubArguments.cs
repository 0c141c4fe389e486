using System.Text.Json;
using Fanout.Contracts.Validation;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Hubs;

/// <summary>
/// Validation of hub arguments with the same rules as HTTP; a violation becomes a <see cref="HubException"/>
/// (<see cref="HubErrors.BadRequest"/>) whose message names the method and says what to fix (<c>107: Publish: room is required: ...</c>); the connection stays
/// open. Call at the top of each hub method. The shape of the arguments (count, JSON types, nesting deeper than
/// <see cref="EventDataRules.MaxDepth"/>) was already checked by <c>FanoutHubProtocol</c> before the method runs; these
/// check the content: room ids, event types, and data size, strings and compact form.
/// </summary>
public static class HubArguments
{
    /// <summary>Throws unless <paramref name="room"/> follows <see cref="RoomId"/>'s rules.</summary>
    public static void Room(string method, string? room)
    {
        if (RoomId.Validate(room) is { } error)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{method}: {error}");
        }
    }

    /// <summary>Throws unless <paramref name="afterSeq"/> is null (live from now) or a seq: 0 or greater.</summary>
    public static void AfterSeq(string method, long? afterSeq)
    {
        if (afterSeq < 0)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{method}: afterSeq must be 0 or greater (or null to go live from now)");
        }
    }

    /// <summary>Throws unless <paramref name="key"/> is null or follows <see cref="Contracts.Validation.IdempotencyKey"/>'s rules.</summary>
    public static void IdempotencyKey(string method, string? key)
    {
        if (key is not null && Contracts.Validation.IdempotencyKey.Validate(key) is { } error)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{method}: idempotencyKey: {error}");
        }
    }

    /// <summary>Throws unless <paramref name="type"/> follows <see cref="EventType"/>'s rules.</summary>
    public static void Type(string method, string? type)
    {
        if (EventType.Validate(type) is { } error)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{method}: {error}");
        }
    }

    /// <summary>
    /// Throws unless <paramref name="data"/> fits <paramref name="rules"/> (<see cref="EventDataValidator"/>); returns its
    /// compact form, the one to store and deliver.
    /// </summary>
    public static JsonElement Data(string method, JsonElement data, EventDataRules rules)
    {
        if (EventDataValidator.Validate(data, rules, out var compact) is { } error)
        {
            throw HubErrors.Create(HubErrors.BadRequest, $"{method}: {error}");
        }

        return compact;
    }
}
