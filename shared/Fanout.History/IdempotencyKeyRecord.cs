namespace Fanout.History;

/// <summary>
/// One row of <c>idempotency_keys</c>: the stored answer to an event published with an idempotency key (its id, derived
/// from (room, key), and the seq and epoch it was stored with), kept for <see cref="Idempotency.IdempotencyOptions.Window"/>
/// whatever the room's retention does with the event itself. The writer reads and writes it with SQL; the entity is here
/// so that the model describes the whole schema.
/// </summary>
public sealed class IdempotencyKeyRecord
{
    public Guid EventId { get; set; }

    public required string RoomId { get; set; }

    public long Seq { get; set; }

    /// <summary>The epoch as clients saw it when the event was stored.</summary>
    public required string Epoch { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}
