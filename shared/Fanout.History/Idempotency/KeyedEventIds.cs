namespace Fanout.History.Idempotency;

/// <summary>
/// Tells an event id derived from an idempotency key (<see cref="Fanout.Contracts.EventIds.FromIdempotencyKey"/>, a
/// version 8 UUID) from a fresh one (version 7): only the former are remembered in <c>idempotency_keys</c>.
/// </summary>
public static class KeyedEventIds
{
    public static bool IsKeyed(Guid id) => id.Version == 8;
}
