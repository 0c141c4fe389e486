using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;

namespace Fanout.Ingest.Requests;

/// <summary>
/// Body of <c>POST /v1/broadcast</c>: <c>{"rooms": [...], "type", "data"}</c>, 1–1000 distinct rooms; one event
/// per room, all sharing the type and data.
/// </summary>
public static class BroadcastParser
{
    /// <summary>Levels around <c>data</c>: the body object.</summary>
    public const int WrapperDepth = 1;

    private static readonly string[] Fields = ["rooms", "type", "data"];

    public static RequestError? Parse(JsonElement root, EventDataRules rules, out IReadOnlyList<EventDraft> drafts)
    {
        drafts = [];
        var values = new JsonElement[Fields.Length];
        if (JsonFields.Collect(root, "The request body", Fields, values) is { } shapeError)
        {
            return RequestError.BadRequest(shapeError);
        }

        if (ParseRooms(values[0], out var rooms) is { } roomsError)
        {
            return roomsError;
        }

        if ((JsonFields.ReadString(values[1], "type", out var type) ?? EventType.Validate(type)) is { } typeError)
        {
            return RequestError.BadRequest(typeError);
        }

        if (EventDataCheck.Check(values[2], rules, string.Empty, null, out var data) is { } dataError)
        {
            return dataError;
        }

        drafts = rooms.Select(room => new EventDraft(room, type!, data, null)).ToList();
        return null;
    }

    private static RequestError? ParseRooms(JsonElement element, out List<string> rooms)
    {
        rooms = [];
        if (element.ValueKind != JsonValueKind.Array)
        {
            return RequestError.BadRequest(element.ValueKind == JsonValueKind.Undefined
                ? $"rooms is required: an array of 1-{BroadcastRequest.MaxRooms} room ids"
                : $"rooms must be an array, not {JsonFields.Describe(element.ValueKind)}");
        }

        var count = element.GetArrayLength();
        if (count is 0 or > BroadcastRequest.MaxRooms)
        {
            return RequestError.BadRequest($"rooms has {count} items; send 1-{BroadcastRequest.MaxRooms}");
        }

        var seen = new Dictionary<string, int>(count, StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var field = $"rooms[{index}]";
            string? room = null;
            var error = item.ValueKind == JsonValueKind.String
                ? JsonFields.ReadString(item, "room", out room) ?? RoomId.Validate(room)
                : $"a room id must be a string, not {JsonFields.Describe(item.ValueKind)}";
            if (error is not null)
            {
                return RequestError.BadRequest($"{field}: {error}", index);
            }

            if (!seen.TryAdd(room!, index))
            {
                return RequestError.BadRequest($"{field}: room '{room}' is already rooms[{seen[room!]}]; list each room once", index);
            }

            rooms.Add(room!);
            index++;
        }

        return null;
    }
}
