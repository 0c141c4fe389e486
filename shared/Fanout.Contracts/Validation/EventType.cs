namespace Fanout.Contracts.Validation;

/// <summary>The rules for an event type: 1–64 characters of <c>A-Z a-z 0-9 _ - . :</c>.</summary>
public static class EventType
{
    public const int MaxLength = 64;

    /// <summary>Returns null when <paramref name="type"/> is valid, else a message saying what to fix.</summary>
    public static string? Validate(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return "type is required: 1-64 characters of A-Z a-z 0-9 _ - . :";
        }

        if (type.Length > MaxLength)
        {
            return $"type is {type.Length} characters long; the limit is {MaxLength}";
        }

        return IdentifierCharacters.FirstInvalid(type) is { } index
            ? $"type has a character outside A-Z a-z 0-9 _ - . : at position {index}"
            : null;
    }
}
