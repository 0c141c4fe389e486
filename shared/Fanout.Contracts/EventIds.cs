using System.Security.Cryptography;
using System.Text;

namespace Fanout.Contracts;

/// <summary>
/// Event ids. An event without an idempotency key gets a fresh time-ordered id (UUIDv7); an event with one
/// gets an id derived from (room, key), so a repeat maps to the same id everywhere and the sequencer stores
/// it once (idempotency scope is (room, key)).
/// </summary>
public static class EventIds
{
    public static Guid New() => Guid.CreateVersion7();

    /// <summary>A name-based UUID (version 8, SHA-256) of the room and the idempotency key.</summary>
    public static Guid FromIdempotencyKey(string room, string key) => NameBased($"fanout:idempotency:{room}\n{key}");

    /// <summary>
    /// The id of a hub client's event published with an idempotency key: scoped to (room, user, key), so that a client
    /// can never match — and so suppress — another user's or a backend's event by guessing its key.
    /// </summary>
    public static Guid FromClientIdempotencyKey(string room, string userId, string key) =>
        NameBased($"fanout:client-idempotency:{room}\n{userId}\n{key}");

    private static Guid NameBased(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        var input = Encoding.UTF8.GetBytes(name);
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
