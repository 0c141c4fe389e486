using System.ComponentModel.DataAnnotations;

namespace Fanout.History.Sqlite;

/// <summary>Where and how the embedded mode keeps its history (section <c>Sqlite</c>).</summary>
public sealed class SqliteHistoryOptions
{
    public const string SectionName = "Sqlite";

    /// <summary>
    /// The folder of the database file, its lock file and its incarnation file; relative paths are taken from the working
    /// directory. Created when missing.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "fanout-data";

    /// <summary>The database file's name inside <see cref="DataDirectory"/>.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_.-]{1,100}$")]
    public string FileName { get; set; } = "fanout.db";

    /// <summary>
    /// <c>Full</c> (default): a commit is synced to disk before it is acknowledged, so an accepted event survives a
    /// process crash and a power loss. <c>Normal</c>: the write-ahead log is synced only at checkpoints, so an accepted
    /// event survives a process crash but the last commits may be lost with a power loss or an OS crash.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// Largest size of the database file, in MiB (0: no limit but the disk's). Past it, publishing answers 503 (as with a
    /// full disk) until retention has made room; reading goes on.
    /// </summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxSizeMb { get; set; }

    /// <summary>
    /// Whether the file is checked page by page at start (<c>PRAGMA quick_check</c>); a damaged file then stops the start
    /// instead of failing later. Reads the whole file: turn off for very large databases that start often.
    /// </summary>
    public bool CheckOnStart { get; set; } = true;

    /// <summary>The database file's full path.</summary>
    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), FileName);
}

/// <summary>How often SQLite syncs to disk (<c>PRAGMA synchronous</c>).</summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}
