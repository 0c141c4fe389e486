using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fanout.History;

/// <summary>
/// Applies the history schema migrations at start, then checks the database's incarnation (a restored or copied
/// database gives every room a new epoch, see <see cref="HistoryIncarnation"/>), retrying until PostgreSQL answers.
/// Readiness stays false until it has succeeded (see <see cref="PostgresHealthCheck"/>).
/// </summary>
public sealed partial class HistorySchemaMigrator(
    IServiceProvider services, HistorySchemaState state, HistoryIncarnation incarnation, ILogger<HistorySchemaMigrator> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HistoryDbContext>>();
                await using var db = await factory.CreateDbContextAsync(stoppingToken);
                await db.Database.MigrateAsync(stoppingToken);
                await incarnation.CheckAsync(stoppingToken);
                state.MarkReady();
                LogMigrated(logger);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogMigrationFailed(logger, ex, delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5_000));
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "History schema is up to date")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "History schema migration failed; retrying in {DelayMs} ms")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception, double delayMs);
}
