using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fanout.History.Migrations;

/// <summary>
/// SQL written by hand (the model in <see cref="HistoryDbContext"/> describes what it creates). <c>data</c> is <c>json</c>, not
/// <c>jsonb</c>, so an event comes back byte for byte as it was accepted (jsonb reorders and dedupes keys).
/// </summary>
[DbContext(typeof(HistoryDbContext))]
[Migration("20261121000000_InitialSchema")]
public sealed class InitialSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE IF NOT EXISTS rooms (
                room_id    text        PRIMARY KEY,
                epoch      text        NOT NULL,
                last_seq   bigint      NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE IF NOT EXISTS room_events (
                room_id      text        NOT NULL,
                seq          bigint      NOT NULL,
                event_id     uuid        NOT NULL,
                type         text        NOT NULL,
                data         json        NOT NULL,
                published_at timestamptz NOT NULL,
                stored_at    timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (room_id, seq)
            );
            CREATE UNIQUE INDEX IF NOT EXISTS ix_room_events_event_id ON room_events (event_id);
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE IF EXISTS room_events; DROP TABLE IF EXISTS rooms;");
    }
}
