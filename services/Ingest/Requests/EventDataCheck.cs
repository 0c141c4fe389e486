using System.Text.Json;
using Fanout.Contracts.Validation;

namespace Fanout.Ingest.Requests;

/// <summary>Runs <see cref="EventDataValidator"/> and turns its verdict into a 400, or a 413 when only the size is over.</summary>
public static class EventDataCheck
{
    /// <param name="prefix">Put before the message, e.g. <c>events[3].data: </c>.</param>
    public static RequestError? Check(JsonElement data, EventDataRules rules, string prefix, int? index, out JsonElement compact)
    {
        string? error;
        try
        {
            error = EventDataValidator.Validate(data, rules, out compact);
        }
        catch (InvalidOperationException)
        {
            // A property name with a lone surrogate escape cannot be read as a string.
            compact = default;
            return RequestError.BadRequest($"{prefix}data has a property name that is not valid Unicode (a lone surrogate)", index);
        }

        if (error is null)
        {
            return null;
        }

        var onlyTooLarge = EventDataValidator.Validate(data, rules with { MaxBytes = int.MaxValue }, out _) is null;
        return onlyTooLarge
            ? RequestError.TooLarge($"{prefix}{error} (setting Events:MaxDataBytes)", index)
            : RequestError.BadRequest(prefix + error, index);
    }
}
