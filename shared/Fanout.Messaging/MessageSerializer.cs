using System.Text.Json;

namespace Fanout.Messaging;

/// <summary>
/// JSON for broker messages (camelCase, the same shape as the wire DTOs). The depth limit leaves room for the
/// message's own levels around an event's <c>data</c> (at most 64 levels deep, see EventDataRules).
/// </summary>
public static class MessageSerializer
{
    public const int MaxDepth = 256;

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { MaxDepth = MaxDepth };

    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize<T>(body, Options) ?? throw new JsonException($"Empty {typeof(T).Name} message.");
}
