using Microsoft.Data.Sqlite;

namespace Fanout.History.Sqlite;

/// <summary>
/// The history schema in SQLite, versioned with <c>PRAGMA user_version</c>. The same tables as in PostgreSQL: a room's
/// counter, stored epoch and first retained seq in <c>rooms</c>; its events in <c>room_events</c>, keyed by (room, seq),
/// each event id stored once; the database's lifetime in <c>history_incarnation</c>; the answer to each event published
/// with an idempotency key in <c>idempotency_keys</c> (version 2), kept for <c>Idempotency:Window</c>; when the trimmer
/// looks at a room next in <c>rooms.trim_at</c> (version 3: 0 once written or reset since its last visit, else the
/// time its oldest retained event passes its age limit, null when it retains nothing; indexed, so a pass reads only the
/// rooms that are due). Times are UTC ticks; <c>data</c> is the event's JSON text exactly as accepted. Every statement
/// is <c>IF NOT EXISTS</c>, so an older file is upgraded by running them all (version 1 gains <c>idempotency_keys</c>;
/// versions 1 and 2 gain <c>trim_at</c>, every room due once).
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 3;

    private const string CreateSql = """
        CREATE TABLE IF NOT EXISTS rooms (
            room_id    TEXT    NOT NULL PRIMARY KEY,
            epoch      TEXT    NOT NULL,
            last_seq   INTEGER NOT NULL,
            first_seq  INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            trim_at    INTEGER NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS room_events (
            room_id      TEXT    NOT NULL,
            seq          INTEGER NOT NULL,
            event_id     BLOB    NOT NULL,
            type         TEXT    NOT NULL,
            data         TEXT    NOT NULL,
            published_at INTEGER NOT NULL,
            stored_at    INTEGER NOT NULL,
            PRIMARY KEY (room_id, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS ix_room_events_event_id ON room_events (event_id);
        CREATE TABLE IF NOT EXISTS history_incarnation (
            singleton   INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
            id          TEXT    NOT NULL,
            start_token TEXT    NOT NULL,
            changed_at  INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            event_id  BLOB    NOT NULL PRIMARY KEY,
            room_id   TEXT    NOT NULL,
            seq       INTEGER NOT NULL,
            epoch     TEXT    NOT NULL,
            stored_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_idempotency_keys_stored_at ON idempotency_keys (stored_at);
        """;

    private const string TrimAtSql = "ALTER TABLE rooms ADD COLUMN trim_at INTEGER NULL DEFAULT 0;";

    private const string TrimAtIndexSql = "CREATE INDEX IF NOT EXISTS ix_rooms_trim_at ON rooms (trim_at, room_id) WHERE trim_at IS NOT NULL;";

    /// <summary>Creates or upgrades the schema; refuses a database written by a newer version.</summary>
    public static void Apply(SqliteConnection connection, string path)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Version)
        {
            throw new SqliteHistoryUnavailableException(
                $"The history database {path} has schema version {version}, newer than this version of Fanout understands ({Version}); it was left untouched.");
        }

        if (version == Version)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = CreateSql;
            create.ExecuteNonQuery();
            var hasTrimAt = Convert.ToInt64(
                Scalar(connection, "SELECT count(*) FROM pragma_table_info('rooms') WHERE name = 'trim_at'", transaction),
                System.Globalization.CultureInfo.InvariantCulture) > 0;
            create.CommandText = (hasTrimAt ? string.Empty : TrimAtSql) + TrimAtIndexSql + $"PRAGMA user_version = {Version};";
            create.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
