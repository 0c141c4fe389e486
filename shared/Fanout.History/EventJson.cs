using System.Text.Json;

namespace Fanout.History;

internal static class EventJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return document.RootElement.Clone();
    }
}
