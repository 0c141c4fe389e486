using Fanout.History;
using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Fanout.History.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fanout.IntegrationTests.History;

/// <summary>A fresh SQLite history file in a directory of its own, with the real reader, writer, reset and trimmer over it.</summary>
public sealed class SqliteHistoryFixture : HistoryStoreFixture
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fanout-history-" + Guid.NewGuid().ToString("N")[..12]);

    public SqliteHistoryDatabase Database { get; private set; } = null!;

    public override Task InitializeAsync()
    {
        Database = SqliteHistoryDatabase.Open(new SqliteHistoryOptions { DataDirectory = _directory });
        Writer = new SqliteSequencedHistoryWriter(Database);
        Reader = new SqliteHistoryReader(Database);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        Database.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    public override IHistoryReset Reset(RetentionOptions options) =>
        new SqliteHistoryReset(Database, Options.Create(options), NullLogger<SqliteHistoryReset>.Instance);

    public override IHistoryTrimmer Trimmer(RetentionOptions options, IdempotencyOptions? idempotency = null) =>
        new SqliteHistoryTrimmer(Database, new RetentionPolicy(Options.Create(options)), Options.Create(options),
            Options.Create(idempotency ?? new IdempotencyOptions()));

    public override Task<long> RowsAsync(string room)
    {
        using var connection = Database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM room_events WHERE room_id = $room";
        command.Parameters.AddWithValue("$room", room);
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public override async Task AgeAsync(string room, long upToSeq, TimeSpan age) =>
        await Database.WriteAsync(write =>
        {
            var command = write.Command("UPDATE room_events SET stored_at = stored_at - $age WHERE room_id = $room AND seq <= $seq");
            command.Parameters.AddWithValue("$age", age.Ticks);
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$seq", upToSeq);
            return command.ExecuteNonQuery();
        }, CancellationToken.None);

    public override async Task AgeKeysAsync(string room, TimeSpan age) =>
        await Database.WriteAsync(write =>
        {
            var command = write.Command("UPDATE idempotency_keys SET stored_at = stored_at - $age WHERE room_id = $room");
            command.Parameters.AddWithValue("$age", age.Ticks);
            command.Parameters.AddWithValue("$room", room);
            return command.ExecuteNonQuery();
        }, CancellationToken.None);
}
