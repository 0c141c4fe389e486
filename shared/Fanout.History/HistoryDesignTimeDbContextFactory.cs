using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fanout.History;

/// <summary>
/// For the EF Core tools (<c>dotnet ef migrations add … --project shared/Fanout.History</c>): a context on Npgsql that
/// never connects, enough to diff the model against the snapshot. A migration's SQL is still written by hand
/// (docs/operations.md, "Schema changes").
/// </summary>
public sealed class HistoryDesignTimeDbContextFactory : IDesignTimeDbContextFactory<HistoryDbContext>
{
    public HistoryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<HistoryDbContext>().UseNpgsql("Host=localhost;Database=fanout").Options);
}
