using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History.Sqlite;

namespace Fanout.IntegrationTests.History;

/// <summary>
/// The SQLite file's incarnation: a restart keeps every epoch; a file copied to another data directory, or a backup
/// put back in place, gives every room a new one (as a restored PostgreSQL database does).
/// </summary>
public sealed class SqliteIncarnationTests : IDisposable
{
    private const string Room = "incarnation:room";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fanout-incarnation-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string name) => Path.Combine(_root, name);

    private static async Task<string> EpochAsync(string directory, bool append = false)
    {
        using var database = SqliteHistoryDatabase.Open(new SqliteHistoryOptions { DataDirectory = directory });
        if (append)
        {
            await new SqliteSequencedHistoryWriter(database).AppendAsync(
                [new SubmittedEvent(EventIds.New(), Room, "t", JsonSerializer.SerializeToElement(1), DateTimeOffset.UtcNow)], CancellationToken.None);
        }

        return (await new SqliteHistoryReader(database).GetPositionAsync(Room, CancellationToken.None)).Epoch;
    }

    [Fact]
    public async Task ARestartKeepsTheEpochsAlsoAfterACrashBetweenTheTwoTokenWrites()
    {
        var first = await EpochAsync(Dir("a"), append: true);
        (await EpochAsync(Dir("a"))).ShouldBe(first);

        // A crash after the incarnation file took the next token but before the database did: both are accepted.
        await File.AppendAllTextAsync(Path.Combine(Dir("a"), "fanout.db.incarnation"), "0123456789abcdef\n");
        (await EpochAsync(Dir("a"))).ShouldBe(first);
    }

    [Fact]
    public async Task AFileCopiedToAnotherDataDirectoryGetsNewEpochsAndTheOriginalKeepsItsOwn()
    {
        var original = await EpochAsync(Dir("a"), append: true);
        Directory.CreateDirectory(Dir("b"));
        File.Copy(Path.Combine(Dir("a"), "fanout.db"), Path.Combine(Dir("b"), "fanout.db"));

        var copied = await EpochAsync(Dir("b"));

        copied.ShouldNotBe(original);
        (await EpochAsync(Dir("a"))).ShouldBe(original);
    }

    [Fact]
    public async Task ABackupPutBackInPlaceGetsNewEpochs()
    {
        var original = await EpochAsync(Dir("a"), append: true);
        var backup = Path.Combine(_root, "backup.db");
        File.Copy(Path.Combine(Dir("a"), "fanout.db"), backup);
        (await EpochAsync(Dir("a"), append: true)).ShouldBe(original, "a start after the backup was taken");

        File.Copy(backup, Path.Combine(Dir("a"), "fanout.db"), overwrite: true);

        (await EpochAsync(Dir("a"))).ShouldNotBe(original);
    }
}
