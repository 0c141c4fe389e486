namespace Fanout.Contracts.Validation;

/// <summary>
/// A room-id pattern for per-room settings: room id characters plus <c>*</c>, which matches any run of characters
/// (none included). <c>chat:*</c> matches <c>chat:lobby</c> and <c>chat:</c>; <c>*</c> matches every room;
/// a pattern without <c>*</c> matches that one room. Case-sensitive, like room ids.
/// </summary>
public static class RoomPattern
{
    /// <summary>Returns null when <paramref name="pattern"/> is a valid pattern, else a message saying what to fix.</summary>
    public static string? Validate(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return "pattern is required: room id characters (A-Z a-z 0-9 _ - . :) and * for any run of characters";
        }

        var literal = pattern.Replace("*", "", StringComparison.Ordinal);
        var valid = pattern.Length <= RoomId.MaxLength && (literal.Length == 0 || IdentifierCharacters.FirstInvalid(literal) is null);
        return valid ? null : $"pattern '{pattern}' may hold only room id characters (A-Z a-z 0-9 _ - . :) and *, at most {RoomId.MaxLength} in all";
    }

    /// <summary>Whether <paramref name="room"/> matches <paramref name="pattern"/>.</summary>
    public static bool Matches(string pattern, string room) => Matches(pattern.AsSpan(), room.AsSpan());

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> room)
    {
        // Iterative glob with one back-track point: linear in practice, never exponential.
        int p = 0, r = 0, star = -1, mark = 0;
        while (r < room.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = r;
            }
            else if (p < pattern.Length && pattern[p] == room[r])
            {
                p++;
                r++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                r = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
