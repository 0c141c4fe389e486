using System.Text.Json;

namespace Fanout.Messaging;

/// <summary>JSON for broker messages (camelCase, the same shape as the wire DTOs).</summary>
public static class MessageSerializer
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize<T>(T message) => JsonSerializer.SerializeToUtf8Bytes(message, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize<T>(body, Options) ?? throw new JsonException($"Empty {typeof(T).Name} message.");
}
