using Fanout.Testing.Stack;
using Microsoft.Data.Sqlite;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>Reads an embedded stack's SQLite history file beside the running process (write-ahead log: readers never block it).</summary>
public static class EmbeddedHistoryFile
{
    public static string PathOf(FanoutStack stack) =>
        Path.Combine(stack.DataDirectory ?? throw new InvalidOperationException("Not an embedded stack."), "fanout.db");

    /// <summary>Rows the file still holds for the room (trimmed ones included until they are deleted).</summary>
    public static async Task<long> CountStoredRowsAsync(FanoutStack stack, string room)
    {
        await using var connection = new SqliteConnection($"Data Source={PathOf(stack)};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM room_events WHERE room_id = $room";
        command.Parameters.AddWithValue("$room", room);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
