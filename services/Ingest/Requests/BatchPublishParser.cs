using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Contracts.Wire;

namespace Fanout.Ingest.Requests;

/// <summary>
/// Body of <c>POST /v1/events</c>: <c>{"events": [{"room", "type", "data", "idempotencyKey"?}, ...]}</c>,
/// 1–500 items, all or nothing: the first invalid item refuses the whole batch, named by its index.
/// </summary>
public static class BatchPublishParser
{
    /// <summary>Levels around an item's <c>data</c>: the body object, the array, the item object.</summary>
    public const int WrapperDepth = 3;

    private static readonly string[] BodyFields = ["events"];
    private static readonly string[] ItemFields = ["room", "type", "data", "idempotencyKey"];

    public static RequestError? Parse(JsonElement root, EventDataRules rules, out IReadOnlyList<EventDraft> drafts)
    {
        drafts = [];
        var body = new JsonElement[BodyFields.Length];
        if (JsonFields.Collect(root, "The request body", BodyFields, body) is { } bodyError)
        {
            return RequestError.BadRequest(bodyError);
        }

        var events = body[0];
        if (events.ValueKind != JsonValueKind.Array)
        {
            return RequestError.BadRequest(events.ValueKind == JsonValueKind.Undefined
                ? $"events is required: an array of 1-{BatchPublishRequest.MaxItems} events"
                : $"events must be an array, not {JsonFields.Describe(events.ValueKind)}");
        }

        var count = events.GetArrayLength();
        if (count is 0 or > BatchPublishRequest.MaxItems)
        {
            return RequestError.BadRequest($"events has {count} items; send 1-{BatchPublishRequest.MaxItems}");
        }

        var list = new List<EventDraft>(count);
        var index = 0;
        foreach (var item in events.EnumerateArray())
        {
            if (ParseItem(item, index, rules, out var draft) is { } itemError)
            {
                return itemError;
            }

            list.Add(draft!);
            index++;
        }

        drafts = list;
        return null;
    }

    private static RequestError? ParseItem(JsonElement item, int index, EventDataRules rules, out EventDraft? draft)
    {
        draft = null;
        var values = new JsonElement[ItemFields.Length];
        if (JsonFields.Collect(item, $"events[{index}]", ItemFields, values) is { } shapeError)
        {
            return RequestError.BadRequest(shapeError, index);
        }

        if ((JsonFields.ReadString(values[0], "room", out var room) ?? RoomId.Validate(room)) is { } roomError)
        {
            return FieldError(index, "room", roomError);
        }

        if ((JsonFields.ReadString(values[1], "type", out var type) ?? EventType.Validate(type)) is { } typeError)
        {
            return FieldError(index, "type", typeError);
        }

        if ((JsonFields.ReadString(values[3], "idempotencyKey", out var key) ?? (key is null ? null : IdempotencyKey.Validate(key))) is { } keyError)
        {
            return FieldError(index, "idempotencyKey", keyError);
        }

        if (EventDataCheck.Check(values[2], rules, $"events[{index}].data: ", index, out var data) is { } dataError)
        {
            return dataError;
        }

        draft = new EventDraft(room!, type!, data, key);
        return null;
    }

    private static RequestError FieldError(int index, string field, string error) =>
        RequestError.BadRequest($"events[{index}].{field}: {error}", index);
}
