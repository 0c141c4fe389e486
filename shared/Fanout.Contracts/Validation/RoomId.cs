namespace Fanout.Contracts.Validation;

/// <summary>
/// The rules for a room id, the same on every path (HTTP and hub): 1–128 characters of
/// <c>A-Z a-z 0-9 _ - . :</c>, and not <c>.</c> or <c>..</c>.
/// </summary>
public static class RoomId
{
    public const int MaxLength = 128;

    /// <summary>Returns null when <paramref name="room"/> is valid, else a message saying what to fix.</summary>
    public static string? Validate(string? room)
    {
        if (string.IsNullOrEmpty(room))
        {
            return "room is required: 1-128 characters of A-Z a-z 0-9 _ - . :";
        }

        if (room.Length > MaxLength)
        {
            return $"room is {room.Length} characters long; the limit is {MaxLength}";
        }

        if (room is "." or "..")
        {
            return "room must not be '.' or '..'";
        }

        return IdentifierCharacters.FirstInvalid(room) is { } index
            ? $"room has a character outside A-Z a-z 0-9 _ - . : at position {index}"
            : null;
    }
}
