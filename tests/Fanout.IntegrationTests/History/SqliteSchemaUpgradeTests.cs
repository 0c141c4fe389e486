using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History.Sqlite;
using Microsoft.Data.Sqlite;

namespace Fanout.IntegrationTests.History;

/// <summary>
/// A history file of schema version 1 (before <c>idempotency_keys</c> and <c>rooms.trim_at</c>) is upgraded at open, its
/// events kept.
/// </summary>
public sealed class SqliteSchemaUpgradeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fanout-upgrade-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AVersionOneFileGainsTheIdempotencyKeysAndTheTrimQueueAndKeepsItsEvents()
    {
        var options = new SqliteHistoryOptions { DataDirectory = _directory };
        var room = "upgrade:room";
        using (var database = SqliteHistoryDatabase.Open(options))
        {
            await new SqliteSequencedHistoryWriter(database).AppendAsync(
                [new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(1), DateTimeOffset.UtcNow)], CancellationToken.None);
        }

        Execute(options.DatabasePath,
            "DROP TABLE idempotency_keys; DROP INDEX ix_rooms_trim_at; ALTER TABLE rooms DROP COLUMN trim_at; PRAGMA user_version = 1;");

        using (var upgraded = SqliteHistoryDatabase.Open(options))
        {
            var keyed = new SubmittedEvent(EventIds.FromIdempotencyKey(room, "K"), room, "t", JsonSerializer.SerializeToElement(2), DateTimeOffset.UtcNow);
            await new SqliteSequencedHistoryWriter(upgraded).AppendAsync([keyed], CancellationToken.None);
            (await new SqliteHistoryReader(upgraded).GetPositionAsync(room, CancellationToken.None)).LastSeq.ShouldBe(2);
        }

        Scalar(options.DatabasePath, "PRAGMA user_version").ShouldBe(3L);
        Scalar(options.DatabasePath, "SELECT count(*) FROM idempotency_keys").ShouldBe(1L);
        Scalar(options.DatabasePath, "SELECT count(*) FROM rooms WHERE trim_at = 0").ShouldBe(1L, "every room is due for the trimmer once");
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
