using System.Text.Json;

namespace Fanout.Ingest.Requests;

/// <summary>Reads the fixed shape of request objects, with messages that name the field.</summary>
public static class JsonFields
{
    /// <summary>
    /// Puts the value of each of <paramref name="names"/> into the same position of <paramref name="values"/>
    /// (<see cref="JsonValueKind.Undefined"/> when absent). Returns a message when <paramref name="element"/> is not an
    /// object, or has an unknown or repeated property.
    /// </summary>
    public static string? Collect(JsonElement element, string what, ReadOnlySpan<string> names, Span<JsonElement> values)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"{what} must be a JSON object, not {Describe(element.ValueKind)}";
        }

        foreach (var property in element.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                return $"{what} has a property name that is not valid Unicode (a lone surrogate)";
            }

            var position = names.IndexOf(name);
            if (position < 0)
            {
                return $"{what} has an unknown property '{Shorten(name)}'; expected {string.Join(", ", names.ToArray())}";
            }

            if (values[position].ValueKind != JsonValueKind.Undefined)
            {
                return $"{what} has the property '{name}' more than once";
            }

            values[position] = property.Value;
        }

        return null;
    }

    /// <summary>
    /// Reads an optional string: absent and <c>null</c> give a null value; a non-string or a string with a lone
    /// surrogate gives a message.
    /// </summary>
    public static string? ReadString(JsonElement element, string field, out string? value)
    {
        value = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                try
                {
                    value = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return $"{field} is not valid Unicode (a lone surrogate)";
                }

            default:
                return $"{field} must be a string, not {Describe(element.ValueKind)}";
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static string Shorten(string name) => name.Length > 64 ? name[..64] + "…" : name;
}
