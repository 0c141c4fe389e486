using Fanout.History;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Fanout.UnitTests.History;

/// <summary>The EF Core model of the history schema against its model snapshot (no database needed).</summary>
public sealed class HistoryModelTests
{
    [Fact]
    public void TheModelHasNoChangesWithoutAMigration()
    {
        using var db = new HistoryDesignTimeDbContextFactory().CreateDbContext([]);

        db.Database.HasPendingModelChanges().ShouldBeFalse(
            "the history model changed without a migration: add one (dotnet ef migrations add NAME --project shared/Fanout.History " +
            "-o Migrations), write its SQL, and commit it with the updated HistoryDbContextModelSnapshot");
    }

    [Fact]
    public void AModelChangeWithoutAMigrationIsSeen()
    {
        var options = new DbContextOptionsBuilder<HistoryDbContext>()
            .UseNpgsql("Host=localhost;Database=fanout")
            .ReplaceService<IModelCustomizer, ExtraColumn>()
            .Options;
        using var db = new HistoryDbContext(options);

        db.Database.HasPendingModelChanges().ShouldBeTrue();
    }

    /// <summary>The model with one more column on <c>rooms</c>, as if someone added a property and no migration.</summary>
    private sealed class ExtraColumn(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
    {
        public override void Customize(ModelBuilder modelBuilder, DbContext context)
        {
            base.Customize(modelBuilder, context);
            modelBuilder.Entity<RoomRecord>().Property<string>("Note").HasColumnName("note");
        }
    }
}
