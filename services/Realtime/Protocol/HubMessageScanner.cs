using System.Buffers;
using System.Text.Json;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// Reads one JSON hub message (without its record separator) in a single forward pass with a
/// <see cref="Utf8JsonReader"/> whose depth limit is the payload's length, so no nesting can make it throw:
/// the reader is not recursive and keeps one bit per level. Malformed JSON, or an envelope property of the wrong
/// type, throws <see cref="InvalidDataException"/> as SignalR's own JSON protocol does (the connection closes).
/// </summary>
public static class HubMessageScanner
{
    public const int InvocationMessageType = 1;
    public const int StreamInvocationMessageType = 4;

    public static ScannedMessage Scan(ReadOnlySequence<byte> payload)
    {
        try
        {
            return ScanCore(payload);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("Error reading JSON.", ex);
        }
    }

    private static ScannedMessage ScanCore(ReadOnlySequence<byte> payload)
    {
        var options = new JsonReaderOptions { MaxDepth = (int)Math.Clamp(payload.Length + 1, 64, int.MaxValue) };
        var reader = new Utf8JsonReader(payload, options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("Unexpected JSON Token Type. Expected a JSON Object.");
        }

        int? type = null;
        string? invocationId = null;
        string? target = null;
        var hasArguments = false;
        var argumentsNotAnArray = false;
        IReadOnlyList<ScannedArgument> arguments = [];
        string[]? streamIds = null;
        Dictionary<string, string>? headers = null;
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                type = Next(ref reader) == JsonTokenType.Number && reader.TryGetInt32(out var value)
                    ? value
                    : throw new InvalidDataException("Expected 'type' to be of type Number.");
            }
            else if (reader.ValueTextEquals("invocationId"u8))
            {
                invocationId = ReadString(ref reader, "invocationId");
            }
            else if (reader.ValueTextEquals("target"u8))
            {
                target = ReadString(ref reader, "target");
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                hasArguments = true;
                argumentsNotAnArray = Next(ref reader) != JsonTokenType.StartArray;
                if (argumentsNotAnArray)
                {
                    reader.Skip();
                    arguments = [];
                }
                else
                {
                    arguments = ScanArguments(ref reader);
                }
            }
            else if (reader.ValueTextEquals("streamIds"u8))
            {
                streamIds = ReadStreamIds(ref reader);
            }
            else if (reader.ValueTextEquals("headers"u8))
            {
                headers = ReadHeaders(ref reader);
            }
            else
            {
                Next(ref reader);
                reader.Skip();
            }
        }

        return new ScannedMessage
        {
            Type = type,
            InvocationId = invocationId,
            Target = target,
            HasArguments = hasArguments,
            ArgumentsNotAnArray = argumentsNotAnArray,
            Arguments = arguments,
            StreamIds = streamIds,
            Headers = headers,
        };
    }

    private static List<ScannedArgument> ScanArguments(ref Utf8JsonReader reader)
    {
        var arguments = new List<ScannedArgument>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            var start = reader.TokenStartIndex;
            var first = reader.TokenType;
            var depth = 0;
            if (first is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                var baseDepth = reader.CurrentDepth;
                depth = 1;
                while (true)
                {
                    var token = Next(ref reader);
                    if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        depth = Math.Max(depth, reader.CurrentDepth - baseDepth + 1);
                    }
                    else if (token is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == baseDepth)
                    {
                        break;
                    }
                }
            }

            arguments.Add(new ScannedArgument(start, reader.BytesConsumed - start, first, depth));
        }

        return arguments;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string property) => Next(ref reader) switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new InvalidDataException($"Expected '{property}' to be of type String."),
    };

    private static string[] ReadStreamIds(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartArray)
        {
            throw new InvalidDataException("Expected 'streamIds' to be of type Array.");
        }

        var ids = new List<string>();
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            ids.Add(reader.TokenType == JsonTokenType.String
                ? reader.GetString()!
                : throw new InvalidDataException("Expected 'streamIds' to contain only strings."));
        }

        return [.. ids];
    }

    private static Dictionary<string, string> ReadHeaders(ref Utf8JsonReader reader)
    {
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            throw new InvalidDataException("Expected 'headers' to be of type Object.");
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            headers[name] = Next(ref reader) == JsonTokenType.String
                ? reader.GetString()!
                : throw new InvalidDataException($"Expected header '{name}' to be of type String.");
        }

        return headers;
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new InvalidDataException("Unexpected end of the JSON message.");
}
