namespace Fanout.History;

/// <summary>
/// The one row of <c>history_incarnation</c>: the id of this lifetime of the database and the fingerprint of the
/// PostgreSQL cluster it was last seen on (<see cref="HistoryIncarnation"/> reads and writes it with SQL; the entity
/// is here so that the model describes the whole schema).
/// </summary>
public sealed class IncarnationRecord
{
    /// <summary>Always <c>true</c> (a check constraint): the table holds one row.</summary>
    public bool Singleton { get; set; } = true;

    public required string Id { get; set; }

    public string? Fingerprint { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}
