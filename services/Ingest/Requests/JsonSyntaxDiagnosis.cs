using System.Text;
using System.Text.Json;

namespace Fanout.Ingest.Requests;

/// <summary>
/// Explains why a body that is valid UTF-8 did not parse: a value nested too deep (named by its path, e.g.
/// <c>events[3].data</c>) or a JSON syntax error with its position. Runs only after a parse failed.
/// </summary>
public static class JsonSyntaxDiagnosis
{
    /// <param name="maxDepth">The depth limit the body was parsed with.</param>
    /// <param name="wrapperDepth">Levels of the request shape; the path names at most this many levels.</param>
    /// <param name="dataDepth">The data depth limit, for the message.</param>
    public static RequestError Describe(ReadOnlySpan<byte> body, int maxDepth, int wrapperDepth, int dataDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = maxDepth + 1 });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextItem(frames);
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            return TooDeep(frames, wrapperDepth, dataDepth);
                        }

                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        frames[^1].Property = ReadName(ref reader);
                        break;
                    default:
                        NextItem(frames);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return RequestError.BadRequest(SyntaxMessage(ex));
        }

        return RequestError.BadRequest("The request body is not valid JSON.");
    }

    private static RequestError TooDeep(List<Frame> frames, int wrapperDepth, int dataDepth)
    {
        var path = new StringBuilder();
        int? index = null;
        string? leaf = null;
        foreach (var frame in frames.Take(wrapperDepth))
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
                index ??= frame.Index;
            }
            else if (frame.Property is not null)
            {
                path.Append(path.Length == 0 ? string.Empty : ".").Append(frame.Property);
                leaf = frame.Property;
            }
        }

        var limit = $"nests deeper than {dataDepth} levels";
        if (path.Length == 0 || leaf is null)
        {
            return RequestError.BadRequest($"The request body {limit}.", index);
        }

        var where = path.ToString();
        return RequestError.BadRequest(where == leaf ? $"{leaf} {limit}" : $"{where}: {leaf} {limit}", index);
    }

    private static string SyntaxMessage(JsonException ex)
    {
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut];
        }

        var position = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
            ? $" (line {line + 1}, byte {column + 1})"
            : string.Empty;
        return $"The request body is not valid JSON{position}: {reason}";
    }

    private static string ReadName(ref Utf8JsonReader reader)
    {
        try
        {
            var name = reader.GetString() ?? string.Empty;
            return name.Length > 64 ? name[..64] + "…" : name;
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private static void NextItem(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private sealed class Frame(bool isArray)
    {
        public bool IsArray { get; } = isArray;

        public int Index { get; set; } = -1;

        public string? Property { get; set; }
    }
}
