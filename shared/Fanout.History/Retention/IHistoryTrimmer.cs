namespace Fanout.History.Retention;

/// <summary>
/// Enforces <see cref="RetentionOptions"/> on the stored history (the history store seam, retention).
/// Guarantee: a pass first moves each room's first retained seq up to its limits (readers stop serving what is below it
/// at once), then deletes the rows below it; it never touches a room's seq counter or epoch. A pass looks at the rooms
/// that are due — written or reset since the last pass, or whose oldest retained event passed its age limit — and the
/// first pass of a process at every room, so every room over its limits is trimmed by the next pass. At most one pass runs at a
/// time across every process that shares the store; a pass that finds another one running does nothing.
/// </summary>
public interface IHistoryTrimmer
{
    /// <summary>Null when another process is trimming; otherwise what this pass did.</summary>
    Task<TrimResult?> RunPassAsync(CancellationToken cancellationToken);
}
