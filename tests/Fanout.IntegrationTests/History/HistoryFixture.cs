using Fanout.History;
using Fanout.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Fanout.IntegrationTests.History;

/// <summary>A fresh, migrated PostgreSQL database with the real history reader and writer over it.</summary>
public sealed class HistoryFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public PostgresDatabase Database { get; private set; } = null!;

    public ISequencedHistoryWriter Writer { get; private set; } = null!;

    public IHistoryReader Reader { get; private set; } = null!;

    public async Task InitializeAsync()
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

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
