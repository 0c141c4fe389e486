using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fanout.History.Migrations;

/// <summary>
/// Retention and epochs, written by hand like <see cref="InitialSchema"/>.
/// <list type="bullet">
/// <item><c>rooms.first_seq</c>: the first retained seq of the room (events below it are trimmed or being deleted;
/// <c>last_seq + 1</c> when none is retained), so recovery can tell "trimmed" without scanning events.</item>
/// <item><c>history_incarnation</c>: one row naming this lifetime of the whole database (<c>id</c>) and the
/// fingerprint of the PostgreSQL cluster and database it was last seen on (see <see cref="HistoryIncarnation"/>).</item>
/// <item><c>fanout_epoch(room, stored)</c>: the epoch clients see, derived from the incarnation, the room id and the
/// room's stored epoch (<c>''</c> until the room's history is first reset). A room that never had an event has an
/// epoch too (its stored epoch is <c>''</c>), the same one its first event will carry; a new incarnation changes
/// every room's epoch at once without touching a row.</item>
/// </list>
/// Rooms created before this migration keep their random stored epoch, so their epoch as clients see it changes
/// once: clients that reconnect across the upgrade get <c>recovered: false</c> with reason <c>epochChanged</c>.
/// </summary>
[DbContext(typeof(HistoryDbContext))]
[Migration("20261201000000_RetentionAndEpochs")]
public sealed class RetentionAndEpochs : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE rooms ADD COLUMN IF NOT EXISTS first_seq bigint NOT NULL DEFAULT 1;
            CREATE TABLE IF NOT EXISTS history_incarnation (
                singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
                id          text        NOT NULL,
                fingerprint text        NULL,
                changed_at  timestamptz NOT NULL DEFAULT now()
            );
            INSERT INTO history_incarnation (id)
            VALUES (substr(md5(random()::text || clock_timestamp()::text), 1, 16))
            ON CONFLICT DO NOTHING;
            CREATE OR REPLACE FUNCTION fanout_epoch(room text, stored text) RETURNS text
            LANGUAGE sql STABLE AS $$
                SELECT substr(md5(i.id || '/' || room || '/' || stored), 1, 16) FROM history_incarnation i
            $$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP FUNCTION IF EXISTS fanout_epoch(text, text);
            DROP TABLE IF EXISTS history_incarnation;
            ALTER TABLE rooms DROP COLUMN IF EXISTS first_seq;
            """);
    }
}
