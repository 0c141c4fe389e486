namespace Fanout.Contracts.Validation;

/// <summary>An idempotency key: 1–128 printable ASCII characters (0x20–0x7E).</summary>
public static class IdempotencyKey
{
    public const int MaxLength = 128;

    /// <summary>Returns null when <paramref name="key"/> is valid, else a message saying what to fix.</summary>
    public static string? Validate(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "idempotency key must be 1-128 printable ASCII characters";
        }

        if (key.Length > MaxLength)
        {
            return $"idempotency key is {key.Length} characters long; the limit is {MaxLength}";
        }

        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] is < ' ' or > '~')
            {
                return $"idempotency key has a non-printable or non-ASCII character at position {i}";
            }
        }

        return null;
    }
}
