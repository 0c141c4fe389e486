namespace Fanout.History;

/// <summary>One stored event. <see cref="Data"/> is the compact JSON text as accepted.</summary>
public sealed class EventRecord
{
    public required string RoomId { get; set; }

    public long Seq { get; set; }

    public Guid EventId { get; set; }

    public required string Type { get; set; }

    public required string Data { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    public DateTimeOffset StoredAt { get; set; }
}
