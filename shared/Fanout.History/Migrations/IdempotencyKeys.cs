using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fanout.History.Migrations;

/// <summary>
/// <c>idempotency_keys</c>: the stored answer (seq, epoch) to each event published with an idempotency key, by its id,
/// kept for <c>Idempotency:Window</c> independently of the room's history, so that a repeat of a key whose event was
/// trimmed or reset away is still recognised (the writer looks here as well as in <c>room_events</c>). The trimmer
/// deletes rows older than the window, by <c>stored_at</c> (indexed). Written by hand like <see cref="InitialSchema"/>.
/// Events stored before this migration are remembered only while they are in history, as before.
/// </summary>
[DbContext(typeof(HistoryDbContext))]
[Migration("20261220000000_IdempotencyKeys")]
public sealed class IdempotencyKeys : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS idempotency_keys (
                event_id  uuid        NOT NULL,
                room_id   text        NOT NULL,
                seq       bigint      NOT NULL,
                epoch     text        NOT NULL,
                stored_at timestamptz NOT NULL DEFAULT now(),
                CONSTRAINT idempotency_keys_pkey PRIMARY KEY (event_id)
            );
            CREATE INDEX IF NOT EXISTS ix_idempotency_keys_stored_at ON idempotency_keys (stored_at);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE IF EXISTS idempotency_keys;");
    }
}
