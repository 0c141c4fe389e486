using Fanout.History;
using Fanout.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Fanout.IntegrationTests.History;

/// <summary>A database written by an earlier version, upgraded by the migrations: what clients saw must not change.</summary>
public sealed class HistoryUpgradeTests
{
    private const string BeforeStoredEpochs = "20261220000000_IdempotencyKeys";

    [Fact]
    public async Task EveryRoomKeepsItsEpochAcrossTheUpgradeToStoredEpochsAndIsDueForTheTrimmer()
    {
        await using var database = await PostgresDatabase.CreateAsync("upgrade");
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var db = new HistoryDbContext(new DbContextOptionsBuilder<HistoryDbContext>().UseNpgsql(dataSource).Options);
        await db.GetService<IMigrator>().MigrateAsync(BeforeStoredEpochs);
        // As the earlier writer and reset left them: one room never reset (stored epoch ''), one reset once.
        await ExecuteAsync(dataSource, """
            INSERT INTO rooms (room_id, epoch, last_seq, first_seq) VALUES ('old:plain', '', 2, 1), ('old:reset', '0123456789abcdef', 7, 8);
            INSERT INTO room_events (room_id, seq, event_id, type, data, published_at)
            VALUES ('old:plain', 1, gen_random_uuid(), 't', '1', now()), ('old:plain', 2, gen_random_uuid(), 't', '2', now());
            """);
        // What the earlier reader answered: the function, in every statement.
        var before = new[] { await ScalarAsync(dataSource, "SELECT fanout_epoch('old:plain', '')"),
            await ScalarAsync(dataSource, "SELECT fanout_epoch('old:reset', '0123456789abcdef')") };
        var emptyBefore = await ScalarAsync(dataSource, "SELECT fanout_epoch('old:never', '')");

        await db.Database.MigrateAsync();
        var reader = new PostgresHistoryReader(dataSource);

        (await EpochsAsync(reader)).ShouldBe(before);
        (await reader.GetPositionAsync("old:never", CancellationToken.None)).Epoch.ShouldBe(emptyBefore);
        (await reader.ReadAfterAsync("old:plain", 0, 10, CancellationToken.None)).Events.ShouldAllBe(e => e.Epoch == before[0]);
        await using var due = dataSource.CreateCommand("SELECT count(*) FROM rooms WHERE trim_at = '-infinity'");
        ((long)(await due.ExecuteScalarAsync())!).ShouldBe(2);
    }

    private static async Task<string[]> EpochsAsync(PostgresHistoryReader reader) =>
    [
        (await reader.GetPositionAsync("old:plain", CancellationToken.None)).Epoch,
        (await reader.GetPositionAsync("old:reset", CancellationToken.None)).Epoch,
    ];

    private static async Task<string> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
