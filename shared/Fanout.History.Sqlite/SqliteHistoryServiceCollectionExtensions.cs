using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Fanout.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fanout.History.Sqlite;

public static class SqliteHistoryServiceCollectionExtensions
{
    /// <summary>
    /// The history store over an opened SQLite database (<see cref="SqliteHistoryDatabase.Open"/>, done before the host
    /// starts): reader, writer, reset and trimmer, the retention and idempotency settings (<c>Retention</c>, <c>Idempotency</c>) and policy, and the
    /// readiness check. The schema is ready as soon as the database is open. The host disposes the database.
    /// </summary>
    public static IServiceCollection AddSqliteHistory(this IServiceCollection services, SqliteHistoryDatabase database)
    {
        services.AddSingleton(database);
        services.AddValidatedOptions<SqliteHistoryOptions>(SqliteHistoryOptions.SectionName);
        services.AddValidatedOptions<RetentionOptions>(RetentionOptions.SectionName);
        services.AddValidatedOptions<IdempotencyOptions>(IdempotencyOptions.SectionName);
        services.AddSingleton<RetentionPolicy>();
        services.AddSingleton(_ =>
        {
            var state = new HistorySchemaState();
            state.MarkReady();
            return state;
        });
        services.AddSingleton<IHistoryReader, SqliteHistoryReader>();
        services.AddSingleton<ISequencedHistoryWriter, SqliteSequencedHistoryWriter>();
        services.AddSingleton<IHistoryReset, SqliteHistoryReset>();
        services.AddSingleton<IHistoryTrimmer, SqliteHistoryTrimmer>();
        services.AddHostedService<OpenReport>();
        services.AddHealthChecks().AddCheck<SqliteHealthCheck>("history", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }

    /// <summary>Logs, once the host's logging runs, how the database was opened.</summary>
    private sealed class OpenReport(SqliteHistoryDatabase database, IOptions<SqliteHistoryOptions> options, ILogger<SqliteHistoryDatabase> logger)
        : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            SqliteHistoryLog.Opened(logger, database.DatabasePath, database.IncarnationId, options.Value.Synchronous, options.Value.MaxSizeMb);
            if (database.IncarnationRenewed)
            {
                SqliteHistoryLog.IncarnationRenewed(logger, database.DatabasePath);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
