using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History;
using Fanout.History.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fanout.IntegrationTests.History;

/// <summary>
/// What only the PostgreSQL store does: one trimmer across processes (advisory lock), restores told by the cluster's
/// fingerprint, stored epochs that follow the incarnation.
/// </summary>
public sealed class RetentionTests(HistoryFixture fixture) : IClassFixture<HistoryFixture>
{
    private NpgsqlDataSource _dataSource => fixture.DataSource;

    private static string NewRoom(string prefix) => $"{prefix}:{Guid.NewGuid():N}";

    private async Task AppendAsync(string room, int count) =>
        await fixture.Writer.AppendAsync(
            Enumerable.Range(0, count).Select(n => new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow)).ToList(),
            CancellationToken.None);

    private IHistoryTrimmer Trimmer(RetentionOptions options) => fixture.Trimmer(options);

    [Fact]
    public async Task OnlyTheProcessHoldingTheTrimmerLockTrims()
    {
        await using var other = await _dataSource.OpenConnectionAsync();
        await using (var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({HistoryTrimmer.LockKey})", other))
        {
            await hold.ExecuteScalarAsync();
        }

        (await Trimmer(new RetentionOptions()).RunPassAsync(CancellationToken.None)).ShouldBeNull();

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({HistoryTrimmer.LockKey})", other))
        {
            await release.ExecuteScalarAsync();
        }

        (await Trimmer(new RetentionOptions()).RunPassAsync(CancellationToken.None)).ShouldNotBeNull();
    }

    [Fact]
    public async Task ADatabaseWithAnotherFingerprintGivesEveryRoomANewEpoch()
    {
        var (written, empty) = (NewRoom("written"), NewRoom("never"));
        await AppendAsync(written, 2);
        var incarnation = new HistoryIncarnation(_dataSource, NullLogger<HistoryIncarnation>.Instance);
        await incarnation.CheckAsync(CancellationToken.None);
        var before = (await fixture.Reader.GetPositionAsync(written, CancellationToken.None), await fixture.Reader.GetPositionAsync(empty, CancellationToken.None));

        (await incarnation.CheckAsync(CancellationToken.None)).ShouldBeFalse("the same database");
        await using (var restored = _dataSource.CreateCommand("UPDATE history_incarnation SET fingerprint = 'another-cluster'"))
        {
            await restored.ExecuteNonQueryAsync();
        }

        (await incarnation.CheckAsync(CancellationToken.None)).ShouldBeTrue();
        var after = (await fixture.Reader.GetPositionAsync(written, CancellationToken.None), await fixture.Reader.GetPositionAsync(empty, CancellationToken.None));

        after.Item1.Epoch.ShouldNotBe(before.Item1.Epoch);
        after.Item1.LastSeq.ShouldBe(2);
        after.Item2.Epoch.ShouldNotBe(before.Item2.Epoch);
    }

    [Fact]
    public async Task RenewingTheIncarnationByHandGivesEveryStoredRoomANewEpochAndNewRoomsFollowIt()
    {
        var (written, empty) = (NewRoom("written"), NewRoom("never"));
        await AppendAsync(written, 2);
        var before = (await fixture.Reader.GetPositionAsync(written, CancellationToken.None)).Epoch;

        await using (var renew = _dataSource.CreateCommand("UPDATE history_incarnation SET id = substr(md5(random()::text), 1, 16)"))
        {
            await renew.ExecuteNonQueryAsync();
        }

        var after = (await fixture.Reader.GetPositionAsync(written, CancellationToken.None)).Epoch;
        var emptyEpoch = (await fixture.Reader.GetPositionAsync(empty, CancellationToken.None)).Epoch;
        var first = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), empty, "t", JsonSerializer.SerializeToElement(1), DateTimeOffset.UtcNow)], CancellationToken.None);
        var next = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), written, "t", JsonSerializer.SerializeToElement(3), DateTimeOffset.UtcNow)], CancellationToken.None);

        after.ShouldNotBe(before);
        after.ShouldBe(await FanoutEpochAsync(written, string.Empty), "the stored epoch is the one the function gives");
        first.Single().Epoch.ShouldBe(emptyEpoch);
        next.Single().ShouldSatisfyAllConditions(e => e.Epoch.ShouldBe(after), e => e.Seq.ShouldBe(3));
    }

    [Fact]
    public async Task TheFirstPassOfANewProcessWritesNoRoomWhoseDueTimeIsAlreadyRight()
    {
        var room = NewRoom("settled");
        await AppendAsync(room, 3);
        await Trimmer(new RetentionOptions()).RunPassAsync(CancellationToken.None);
        var version = await RowVersionAsync(room);

        var restarted = await Trimmer(new RetentionOptions()).RunPassAsync(CancellationToken.None);

        restarted.ShouldNotBeNull().RoomsVisited.ShouldBeGreaterThan(0, "a new process looks at every room");
        (await RowVersionAsync(room)).ShouldBe(version, "the room's row was not written again");
    }

    private async Task<string> RowVersionAsync(string room)
    {
        await using var command = _dataSource.CreateCommand("SELECT xmin::text || ':' || ctid::text FROM rooms WHERE room_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = room });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> FanoutEpochAsync(string room, string stored)
    {
        await using var command = _dataSource.CreateCommand("SELECT fanout_epoch($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = room });
        command.Parameters.Add(new NpgsqlParameter { Value = stored });
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
