namespace Fanout.Contracts.Validation;

internal static class IdentifierCharacters
{
    public static int? FirstInvalid(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!IsAllowed(value[i]))
            {
                return i;
            }
        }

        return null;
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-' or '.' or ':';
}
