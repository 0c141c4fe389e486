using System.Text.Json;
using Fanout.Contracts.Wire;

namespace Fanout.History.Sqlite;

/// <summary>How a stored row becomes a <see cref="RoomEvent"/> (times are UTC ticks, data the accepted JSON text).</summary>
internal static class SqliteRows
{
    public static RoomEvent Event(string room, string epoch, long seq, Guid id, string type, string data, long publishedTicks) =>
        new(room, seq, epoch, id, type, Parse(data), new DateTimeOffset(publishedTicks, TimeSpan.Zero));

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return document.RootElement.Clone();
    }
}
