using Fanout.History;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fanout.IntegrationTests.History;

/// <summary>The EF Core model describes the schema the (hand-written SQL) migrations create, column by column.</summary>
public sealed class HistorySchemaTests(HistoryFixture fixture) : IClassFixture<HistoryFixture>
{
    [Fact]
    public async Task EveryTableOfTheModelHasExactlyItsColumnsWithTheirTypesNullabilityAndDefaults()
    {
        using var db = new HistoryDesignTimeDbContextFactory().CreateDbContext([]);
        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);

        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var expected = entity.GetProperties()
                .Select(p => $"{p.GetColumnName()} {p.GetColumnType()} {(p.IsColumnNullable() ? "null" : "not null")} " +
                    $"{(p.GetDefaultValueSql() is not null || p.TryGetDefaultValue(out _) ? "default" : "no default")}")
                .Order(StringComparer.Ordinal)
                .ToList();

            await using var command = dataSource.CreateCommand("""
                SELECT column_name || ' ' || data_type || ' ' || CASE WHEN is_nullable = 'YES' THEN 'null' ELSE 'not null' END || ' ' ||
                       CASE WHEN column_default IS NULL THEN 'no default' ELSE 'default' END
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1
                """);
            command.Parameters.AddWithValue(table);
            var actual = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    actual.Add(reader.GetString(0));
                }
            }

            actual.Order(StringComparer.Ordinal).ToList().ShouldBe(expected, $"table {table}");
        }
    }
}
