using System.Buffers;
using System.Text.Json;

namespace Fanout.Contracts.Validation;

/// <summary>Checks an event's <c>data</c> against <see cref="EventDataRules"/> and produces its compact form.</summary>
public static class EventDataValidator
{
    /// <summary>
    /// Validates <paramref name="data"/>. On success returns null and sets <paramref name="compact"/> to
    /// the data re-serialized without insignificant white space (the form that is stored and delivered).
    /// </summary>
    public static string? Validate(JsonElement data, EventDataRules rules, out JsonElement compact)
    {
        compact = default;
        if (data.ValueKind == JsonValueKind.Undefined)
        {
            return "data is required (any JSON value, null included)";
        }

        var depthError = CheckDepthAndStrings(data, rules.MaxDepth);
        if (depthError is not null)
        {
            return depthError;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, SkipValidation = true }))
        {
            data.WriteTo(writer);
        }

        if (buffer.WrittenCount > rules.MaxBytes)
        {
            return $"data is {buffer.WrittenCount} bytes as compact JSON; the limit is {rules.MaxBytes}";
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = rules.MaxDepth + 1 });
        compact = document.RootElement.Clone();
        return null;
    }

    private static string? CheckDepthAndStrings(JsonElement root, int maxDepth)
    {
        var stack = new Stack<(JsonElement Element, int Depth)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (element, depth) = stack.Pop();
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (depth + 1 > maxDepth)
                    {
                        return $"data nests deeper than {maxDepth} levels";
                    }

                    foreach (var property in element.EnumerateObject())
                    {
                        if (!TryGetWellFormedName(property))
                        {
                            return "data has a property name that is not valid Unicode (a lone surrogate)";
                        }

                        stack.Push((property.Value, depth + 1));
                    }

                    break;
                case JsonValueKind.Array:
                    if (depth + 1 > maxDepth)
                    {
                        return $"data nests deeper than {maxDepth} levels";
                    }

                    foreach (var item in element.EnumerateArray())
                    {
                        stack.Push((item, depth + 1));
                    }

                    break;
                case JsonValueKind.String:
                    if (!TryGetWellFormedString(element))
                    {
                        return "data has a string that is not valid UTF-8 or contains a lone surrogate";
                    }

                    break;
            }
        }

        return null;
    }

    private static bool TryGetWellFormedName(JsonProperty property)
    {
        try
        {
            return IsWellFormed(property.Name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryGetWellFormedString(JsonElement element)
    {
        try
        {
            return IsWellFormed(element.GetString());
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsWellFormed(string? value)
    {
        if (value is null)
        {
            return true;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
