using Fanout.History;
using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Fanout.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fanout.IntegrationTests.History;

/// <summary>A fresh, migrated PostgreSQL database with the real history reader, writer, reset and trimmer over it.</summary>
public sealed class HistoryFixture : HistoryStoreFixture
{
    private NpgsqlDataSource? _dataSource;

    public PostgresDatabase Database { get; private set; } = null!;

    public NpgsqlDataSource DataSource => _dataSource!;

    public override async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync("history");
        _dataSource = new NpgsqlDataSourceBuilder(Database.ConnectionString).Build();
        var options = new DbContextOptionsBuilder<HistoryDbContext>()
            .UseNpgsql(_dataSource)
            .Options;
        await using (var db = new HistoryDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        Writer = new PostgresSequencedHistoryWriter(_dataSource);
        Reader = new PostgresHistoryReader(_dataSource);
    }

    public override IHistoryReset Reset(RetentionOptions options) =>
        new PostgresHistoryReset(_dataSource!, Options.Create(options), NullLogger<PostgresHistoryReset>.Instance);

    public override IHistoryTrimmer Trimmer(RetentionOptions options, IdempotencyOptions? idempotency = null) =>
        new HistoryTrimmer(_dataSource!, new RetentionPolicy(Options.Create(options)),
            new HistoryIncarnation(_dataSource!, NullLogger<HistoryIncarnation>.Instance), Options.Create(options),
            Options.Create(idempotency ?? new IdempotencyOptions()));

    public override async Task<long> RowsAsync(string room)
    {
        await using var command = _dataSource!.CreateCommand("SELECT count(*) FROM room_events WHERE room_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = room });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public override async Task AgeAsync(string room, long upToSeq, TimeSpan age)
    {
        await using var command = _dataSource!.CreateCommand("UPDATE room_events SET stored_at = now() - $3 WHERE room_id = $1 AND seq <= $2");
        command.Parameters.Add(new NpgsqlParameter { Value = room });
        command.Parameters.Add(new NpgsqlParameter { Value = upToSeq });
        command.Parameters.Add(new NpgsqlParameter { Value = age });
        await command.ExecuteNonQueryAsync();
    }

    public override async Task AgeKeysAsync(string room, TimeSpan age)
    {
        await using var command = _dataSource!.CreateCommand("UPDATE idempotency_keys SET stored_at = now() - $2 WHERE room_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = room });
        command.Parameters.Add(new NpgsqlParameter { Value = age });
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
