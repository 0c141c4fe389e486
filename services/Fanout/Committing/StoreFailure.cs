using Npgsql;

namespace Fanout.Sequencer.Committing;

/// <summary>Tells a failure worth retrying (PostgreSQL down, a race, a deadlock) from one that never heals.</summary>
public static class StoreFailure
{
    /// <summary>
    /// True when the stored data itself is refused (data exceptions, constraint violations other than the
    /// unique event id a concurrent writer may have taken, program limits): retrying the same events is futile.
    /// </summary>
    public static bool IsPermanent(Exception exception) =>
        exception is PostgresException { SqlState: var state }
        && state != PostgresErrorCodes.UniqueViolation
        && (state.StartsWith("22", StringComparison.Ordinal)
            || state.StartsWith("23", StringComparison.Ordinal)
            || state.StartsWith("54", StringComparison.Ordinal));
}
