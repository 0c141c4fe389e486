using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fanout.History.Migrations;

/// <summary>
/// <c>fanout_epoch(room, stored)</c> in PL/pgSQL, with the same result as before (see <see cref="RetentionAndEpochs"/>).
/// A <c>LANGUAGE sql</c> function that reads a table cannot be inlined, so PostgreSQL parsed and planned its body again
/// in every statement that called it (each sequencer batch, each history read): about a tenth of PostgreSQL's CPU in
/// the steady benchmark. PL/pgSQL keeps the plan of its query for the whole session.
/// </summary>
[DbContext(typeof(HistoryDbContext))]
[Migration("20261215000000_EpochFunctionPlanCache")]
public sealed class EpochFunctionPlanCache : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE OR REPLACE FUNCTION fanout_epoch(room text, stored text) RETURNS text
            LANGUAGE plpgsql STABLE AS $$
            BEGIN
                RETURN (SELECT substr(md5(i.id || '/' || room || '/' || stored), 1, 16) FROM history_incarnation i);
            END
            $$;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE OR REPLACE FUNCTION fanout_epoch(room text, stored text) RETURNS text
            LANGUAGE sql STABLE AS $$
                SELECT substr(md5(i.id || '/' || room || '/' || stored), 1, 16) FROM history_incarnation i
            $$;
            """);
    }
}
