using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Fanout.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fanout.History;

public static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// The retention loop (<see cref="RetentionService"/>) over whichever <see cref="IHistoryTrimmer"/> the history store
    /// registered: for the process that trims (the sequencers in the distributed mode, the one process in the embedded mode).
    /// </summary>
    public static IServiceCollection AddHistoryRetention(this IServiceCollection services)
    {
        services.AddHostedService<RetentionService>();
        return services;
    }

    /// <summary>
    /// The PostgreSQL data source (<c>ConnectionStrings:postgres</c>), the EF Core context factory, the history
    /// reader, writer, reset and trimmer, the retention and idempotency settings (<c>Retention</c>, <c>Idempotency</c>) and policy, the incarnation check, the
    /// schema migrator and the PostgreSQL readiness check.
    /// </summary>
    public static IServiceCollection AddFanoutHistory(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = ConnectionStrings.Require(configuration, ConnectionStrings.Postgres);
        services.AddSingleton(_ => HistoryDataSource.Create(connectionString));
        services.AddPooledDbContextFactory<HistoryDbContext>((sp, options) => options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking));
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);
        services.AddValidatedOptions<IdempotencyOptions>(IdempotencyOptions.SectionName);
        services.AddSingleton<RetentionPolicy>();
        services.AddSingleton<HistoryIncarnation>();
        services.AddSingleton<HistorySchemaState>();
        services.AddHostedService<HistorySchemaMigrator>();
        services.AddSingleton<IHistoryReader, PostgresHistoryReader>();
        services.AddSingleton<ISequencedHistoryWriter, PostgresSequencedHistoryWriter>();
        services.AddSingleton<IHistoryReset, PostgresHistoryReset>();
        services.AddSingleton<IHistoryTrimmer, HistoryTrimmer>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
