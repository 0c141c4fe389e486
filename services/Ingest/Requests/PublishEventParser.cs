using System.Text.Json;
using Fanout.Contracts.Validation;

namespace Fanout.Ingest.Requests;

/// <summary>Body of <c>POST /v1/rooms/{room}/events</c>: <c>{"type": "...", "data": ...}</c>.</summary>
public static class PublishEventParser
{
    /// <summary>Levels around <c>data</c>: the body object.</summary>
    public const int WrapperDepth = 1;

    private static readonly string[] Fields = ["type", "data"];

    /// <summary>Validates the body of an event for an already validated room and idempotency key.</summary>
    public static RequestError? Parse(JsonElement root, string room, string? idempotencyKey, EventDataRules rules, out EventDraft? draft)
    {
        draft = null;
        var values = new JsonElement[Fields.Length];
        if (JsonFields.Collect(root, "The request body", Fields, values) is { } shapeError)
        {
            return RequestError.BadRequest(shapeError);
        }

        if ((JsonFields.ReadString(values[0], "type", out var type) ?? EventType.Validate(type)) is { } typeError)
        {
            return RequestError.BadRequest(typeError);
        }

        if (EventDataCheck.Check(values[1], rules, string.Empty, null, out var data) is { } dataError)
        {
            return dataError;
        }

        draft = new EventDraft(room, type!, data, idempotencyKey);
        return null;
    }
}
