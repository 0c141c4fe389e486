using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Fanout.History.Sqlite;

/// <summary>
/// Tells whether the database file is the one this data directory last ran with, as <see cref="HistoryIncarnation"/>
/// does for PostgreSQL: every room's epoch derives from the database's incarnation id, and a file that was copied to
/// another data directory or restored from a backup gets a new one, so clients holding seqs of the old history recover
/// with <c>epochChanged</c> instead of being matched against seqs that now mean other events.
/// <para>How: every start writes a new random start token into the database and into the incarnation file beside it
/// (<c>fanout.db.incarnation</c>). At the next start both must agree. A copy in another folder has no incarnation file; a
/// backup put back in place holds the token of the start before its copy was taken. Not detected: a backup taken since
/// the last start and copied over the file in place (renew by hand then: delete the incarnation file).</para>
/// <para>The file holds the tokens it accepts: during the switch both the previous and the next one, so that a crash
/// between the two writes is not taken for a restore.</para>
/// </summary>
internal static class SqliteIncarnation
{
    /// <summary>Checks the incarnation and starts a new token; returns the incarnation id and whether it was renewed.</summary>
    public static (string Id, bool Renewed) Check(SqliteConnection connection, string databasePath)
    {
        var markerPath = databasePath + ".incarnation";
        var accepted = File.Exists(markerPath)
            ? File.ReadAllLines(markerPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal)
            : [];

        string? id = null;
        string? token = null;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id, start_token FROM history_incarnation WHERE singleton = 1";
            using var reader = read.ExecuteReader();
            if (reader.Read())
            {
                (id, token) = (reader.GetString(0), reader.GetString(1));
            }
        }

        var renewed = id is not null && (token is null || !accepted.Contains(token));
        if (id is null || renewed)
        {
            id = NewToken();
        }

        var next = NewToken();
        WriteMarker(markerPath, token is null || renewed ? [next] : [token, next]);
        using (var write = connection.CreateCommand())
        {
            write.CommandText = """
                INSERT INTO history_incarnation (singleton, id, start_token, changed_at) VALUES (1, $id, $token, $now)
                ON CONFLICT (singleton) DO UPDATE SET id = excluded.id, start_token = excluded.start_token,
                    changed_at = CASE WHEN history_incarnation.id = excluded.id THEN history_incarnation.changed_at ELSE excluded.changed_at END
                """;
            write.Parameters.AddWithValue("$id", id);
            write.Parameters.AddWithValue("$token", next);
            write.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
            write.ExecuteNonQuery();
        }

        WriteMarker(markerPath, [next]);
        return (id, renewed);
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Replaces the file atomically (write a temporary file, sync it, rename it over the old one).</summary>
    private static void WriteMarker(string path, IEnumerable<string> tokens)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new StreamWriter(stream))
        {
            foreach (var token in tokens)
            {
                writer.WriteLine(token);
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
