using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fanout.History;

/// <summary>
/// Detects that the history database is not the one it was: every room's epoch is derived from the database's
/// incarnation id (<c>fanout_epoch</c>), and the incarnation is renewed when the database's fingerprint changes —
/// the PostgreSQL cluster's system identifier, its timeline (a new one after a point-in-time restore or a replica's
/// promotion) and the database's oid (new after a dump is restored into a new database). Then every room gets a new
/// epoch at once and clients holding seqs of the old history recover with <c>epochChanged</c> instead of being
/// matched against seqs that now mean other events. A restore that keeps all three (a file-system copy of the whole
/// cluster put back in place) is not detected: after one, renew the incarnation by hand
/// (<c>UPDATE history_incarnation SET id = md5(random()::text)</c>; see docs/delivery-guarantees.md).
/// </summary>
public sealed class HistoryIncarnation(NpgsqlDataSource dataSource, ILogger<HistoryIncarnation> logger)
{
    private const string FingerprintSql = """
        SELECT (SELECT system_identifier FROM pg_control_system())::text || ':' ||
               (SELECT timeline_id FROM pg_control_checkpoint())::text || ':' ||
               (SELECT oid FROM pg_database WHERE datname = current_database())::text
        """;

    private const string RenewSql = """
        UPDATE history_incarnation
        SET id = CASE WHEN fingerprint IS NULL THEN id ELSE substr(md5(random()::text || clock_timestamp()::text), 1, 16) END,
            fingerprint = @current, changed_at = now()
        WHERE fingerprint IS DISTINCT FROM @current
        """;

    /// <summary>Compares the fingerprint with the stored one; true when the incarnation (and so every epoch) was renewed.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        string current;
        try
        {
            await using var fingerprint = dataSource.CreateCommand(FingerprintSql);
            current = (string)(await fingerprint.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException ex)
        {
            HistoryLog.FingerprintUnavailable(logger, ex);
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var previousCommand = new NpgsqlCommand("SELECT fingerprint FROM history_incarnation FOR UPDATE", connection, transaction);
        var previous = await previousCommand.ExecuteScalarAsync(cancellationToken) as string;
        if (previous == current)
        {
            return false;
        }

        await using var renew = new NpgsqlCommand(RenewSql, connection, transaction);
        renew.Parameters.Add(new NpgsqlParameter<string>("current", current));
        await renew.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (previous is null)
        {
            return false;
        }

        HistoryLog.IncarnationChanged(logger, previous, current);
        return true;
    }
}
