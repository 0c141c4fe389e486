using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Fanout.History.Sqlite;

/// <summary>
/// The embedded mode's history database and its one owner: an exclusive lock on <c>fanout.db.lock</c> keeps every
/// other process out of the data directory; the one write connection is used under <see cref="WriteAsync{T}"/>'s lock,
/// one transaction per call (SQLite has one writer anyway; here it never waits for another); readers take pooled
/// connections of their own (write-ahead log: they read a snapshot and never block the writer). Opened before the host
/// starts, so that a database the process cannot use stops it with one line
/// (<see cref="SqliteHistoryUnavailableException"/>): the data directory not writable, the file locked by another
/// process, damaged, or from a newer version. A damaged file is left untouched.
/// </summary>
public sealed class SqliteHistoryDatabase : IDisposable
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private readonly FileStream _lockFile;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Dictionary<string, SqliteCommand> _writeCommands = new(StringComparer.Ordinal);
    private readonly string _readConnectionString;
    private string? _writeFailure;
    private bool _disposed;

    private SqliteHistoryDatabase(string path, FileStream lockFile, SqliteConnection writer, string incarnationId, bool renewed)
    {
        DatabasePath = path;
        _lockFile = lockFile;
        _writer = writer;
        IncarnationId = incarnationId;
        IncarnationRenewed = renewed;
        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>The id every room's epoch derives from; new when the file was copied or restored.</summary>
    public string IncarnationId { get; }

    /// <summary>True when this start found the file copied or restored and gave every room a new epoch.</summary>
    public bool IncarnationRenewed { get; }

    /// <summary>Why the last write failed, while writes fail (a full disk, a read-only file); null once one succeeds.</summary>
    public string? WriteFailure => Volatile.Read(ref _writeFailure);

    /// <summary>Opens (creating when missing) the database of <paramref name="options"/>, or says in one line why it cannot.</summary>
    public static SqliteHistoryDatabase Open(SqliteHistoryOptions options)
    {
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var path = options.DatabasePath;
        var directory = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SqliteHistoryUnavailableException($"The data directory {directory} cannot be created: {ex.Message}", ex);
        }

        var lockFile = TakeLock(path);
        SqliteConnection? writer = null;
        try
        {
            var existed = File.Exists(path) && new FileInfo(path).Length > 0;
            writer = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
                DefaultTimeout = 30,
            }.ToString());
            writer.Open();
            if (existed && options.CheckOnStart)
            {
                // Before anything writes to the file: a damaged one must be left as it is.
                var check = SqliteSchema.Scalar(writer, "PRAGMA quick_check(1)") as string;
                if (!string.Equals(check, "ok", StringComparison.OrdinalIgnoreCase))
                {
                    throw Damaged(path, check ?? "no answer", null);
                }
            }

            var mode = SqliteSchema.Scalar(writer, "PRAGMA journal_mode = WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new SqliteHistoryUnavailableException(
                    $"The history database {path} cannot use a write-ahead log (journal mode '{mode}'): put the data directory on a local file system.");
            }

            SqliteSchema.Scalar(writer, $"PRAGMA synchronous = {options.Synchronous.ToString().ToUpperInvariant()}");
            if (options.MaxSizeMb > 0)
            {
                var pageSize = Convert.ToInt64(SqliteSchema.Scalar(writer, "PRAGMA page_size"), CultureInfo.InvariantCulture);
                SqliteSchema.Scalar(writer, $"PRAGMA max_page_count = {Math.Max(1, options.MaxSizeMb * 1024L * 1024L / pageSize)}");
            }

            SqliteSchema.Apply(writer, path);
            var (id, renewed) = SqliteIncarnation.Check(writer, path);
            return new SqliteHistoryDatabase(path, lockFile, writer, id, renewed);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            Release(writer, lockFile);
            throw Damaged(path, ex.Message, ex);
        }
        catch (SqliteException ex)
        {
            Release(writer, lockFile);
            throw new SqliteHistoryUnavailableException($"The history database {path} cannot be opened: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Release(writer, lockFile);
            throw new SqliteHistoryUnavailableException($"The data directory {directory} cannot be written: {ex.Message}", ex);
        }
        catch
        {
            Release(writer, lockFile);
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction (committed when it returns, rolled back when it throws). A
    /// failure of the storage (full, read-only, I/O) is kept in <see cref="WriteFailure"/> until a write succeeds.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<WriteContext, T> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            var result = work(new WriteContext(this, transaction));
            transaction.Commit();
            Volatile.Write(ref _writeFailure, null);
            return result;
        }
        catch (SqliteException ex)
        {
            Volatile.Write(ref _writeFailure, $"{ex.Message} (SQLite error {ex.SqliteErrorCode})");
            throw;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>A pooled connection for reading (its own snapshot per transaction; never blocks the writer).</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return connection;
    }

    /// <summary>The epoch clients see for a room with the stored epoch <paramref name="stored"/>: as <c>fanout_epoch</c> in PostgreSQL.</summary>
    public string EpochOf(string room, string stored)
    {
        Span<byte> hash = stackalloc byte[16];
#pragma warning disable CA5351 // Not security: the same derivation as PostgreSQL's fanout_epoch (md5), so the two stores agree.
        MD5.HashData(Encoding.UTF8.GetBytes($"{IncarnationId}/{room}/{stored}"), hash);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash[..8]);
    }

    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var command in _writeCommands.Values)
            {
                command.Dispose();
            }

            _writeCommands.Clear();
            Release(_writer, _lockFile);
            SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static FileStream TakeLock(string path)
    {
        var lockPath = path + ".lock";
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive advisory lock (flock) on Unix: a second process fails here.
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SqliteHistoryUnavailableException($"The data directory {Path.GetDirectoryName(path)} is not writable: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            var holder = TryReadHolder(lockPath);
            throw new SqliteHistoryUnavailableException(
                $"The history database {path} is in use by another process{holder} (lock file {lockPath}); stop it or choose another data directory.", ex);
        }

        // The pid goes beside the lock (the locked file itself cannot be read by the next process), for its message.
        File.WriteAllText(lockPath + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return lockFile;
    }

    private static string TryReadHolder(string lockPath)
    {
        try
        {
            var text = File.ReadAllText(lockPath + ".pid").Trim();
            return text.Length > 0 ? $" (pid {text})" : string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static SqliteHistoryUnavailableException Damaged(string path, string detail, Exception? inner) =>
        new($"The history database {path} is damaged or not a Fanout database ({detail}); it was left untouched: restore it from a backup, or move it away to start with an empty history.",
            inner!);

    private static void Release(SqliteConnection? writer, FileStream lockFile)
    {
        writer?.Dispose();
        lockFile.Dispose();
    }

    /// <summary>The write transaction <see cref="WriteAsync{T}"/> runs in, with the write connection's prepared statements.</summary>
    public readonly struct WriteContext(SqliteHistoryDatabase database, SqliteTransaction transaction)
    {
        /// <summary>A command of the write connection for <paramref name="sql"/>, prepared once and reused; parameters cleared.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!database._writeCommands.TryGetValue(sql, out var command))
            {
                command = database._writer.CreateCommand();
                command.CommandText = sql;
                database._writeCommands[sql] = command;
            }

            command.Transaction = transaction;
            command.Parameters.Clear();
            return command;
        }

        public string EpochOf(string room, string stored) => database.EpochOf(room, stored);
    }
}
