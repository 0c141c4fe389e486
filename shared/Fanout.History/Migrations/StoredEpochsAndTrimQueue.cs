using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fanout.History.Migrations;

/// <summary>
/// Stored epochs and the trimmer's queue, written by hand like <see cref="InitialSchema"/>.
/// <list type="bullet">
/// <item><c>rooms.client_epoch</c>: the room's epoch as clients see it, <c>fanout_epoch(room_id, epoch)</c> computed
/// once — when the room is created, when it is reset, and for every room when the database's incarnation id changes
/// (the trigger <c>history_incarnation_renewed</c>, whatever changed the id) — instead of by the function in every
/// sequencer batch and every history read. Existing rooms get the value the function gives them, so no epoch changes
/// across the upgrade. The trigger locks <c>rooms</c> against writes (SHARE ROW EXCLUSIVE) before it recomputes, so a
/// room created at the same time cannot keep an epoch of the old incarnation.</item>
/// <item><c>rooms.trim_at</c>: when the trimmer has to look at the room next: <c>-infinity</c> once it was written
/// (or reset) since the trimmer's last visit, else the time its oldest retained event passes its <c>MaxAge</c>, or
/// null when it retains nothing. With the partial index <c>ix_rooms_trim_at</c> a pass reads only the rooms that are
/// due instead of every room. Existing rooms start at <c>-infinity</c>: the first pass looks at each once.</item>
/// </list>
/// Rolling upgrades: a sequencer of an earlier version cannot create rooms once this ran (its insert lacks
/// <c>client_epoch</c>); its batches fail and are redelivered until it runs this version too.
/// </summary>
[DbContext(typeof(HistoryDbContext))]
[Migration("20261228000000_StoredEpochsAndTrimQueue")]
public sealed class StoredEpochsAndTrimQueue : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            ALTER TABLE rooms ADD COLUMN IF NOT EXISTS client_epoch text;
            UPDATE rooms SET client_epoch = fanout_epoch(room_id, epoch) WHERE client_epoch IS NULL;
            ALTER TABLE rooms ALTER COLUMN client_epoch SET NOT NULL;
            ALTER TABLE rooms ADD COLUMN IF NOT EXISTS trim_at timestamptz NULL DEFAULT '-infinity';
            CREATE INDEX IF NOT EXISTS ix_rooms_trim_at ON rooms (trim_at, room_id) WHERE trim_at IS NOT NULL;

            CREATE OR REPLACE FUNCTION fanout_incarnation_renewed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                LOCK TABLE rooms IN SHARE ROW EXCLUSIVE MODE;
                UPDATE rooms SET client_epoch = fanout_epoch(room_id, epoch);
                RETURN NULL;
            END
            $$;
            DROP TRIGGER IF EXISTS history_incarnation_renewed ON history_incarnation;
            CREATE TRIGGER history_incarnation_renewed AFTER UPDATE OF id ON history_incarnation
                FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION fanout_incarnation_renewed();
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP TRIGGER IF EXISTS history_incarnation_renewed ON history_incarnation;
            DROP FUNCTION IF EXISTS fanout_incarnation_renewed();
            DROP INDEX IF EXISTS ix_rooms_trim_at;
            ALTER TABLE rooms DROP COLUMN IF EXISTS trim_at;
            ALTER TABLE rooms DROP COLUMN IF EXISTS client_epoch;
            """);
    }
}
