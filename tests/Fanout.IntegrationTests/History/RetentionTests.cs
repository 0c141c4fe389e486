using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History;
using Fanout.History.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fanout.IntegrationTests.History;

/// <summary>Retention, resets and epochs against the real PostgreSQL history.</summary>
public sealed class RetentionTests(HistoryFixture fixture) : IClassFixture<HistoryFixture>, IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;

    public Task InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private static string NewRoom(string prefix) => $"{prefix}:{Guid.NewGuid():N}";

    private async Task AppendAsync(string room, int count) =>
        await fixture.Writer.AppendAsync(
            Enumerable.Range(0, count).Select(n => new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow)).ToList(),
            CancellationToken.None);

    private HistoryTrimmer Trimmer(RetentionOptions options) =>
        new(_dataSource, new RetentionPolicy(Options.Create(options)), new HistoryIncarnation(_dataSource, NullLogger<HistoryIncarnation>.Instance),
            Options.Create(options));

    private async Task<long> RowsAsync(string room)
    {
        await using var command = _dataSource.CreateCommand("SELECT count(*) FROM room_events WHERE room_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = room });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task ARoomThatNeverHadAnEventHasTheEpochItsFirstEventGets()
    {
        var room = NewRoom("fresh");
        var empty = await fixture.Reader.GetPositionAsync(room, CancellationToken.None);

        var committed = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(1), DateTimeOffset.UtcNow)], CancellationToken.None);

        empty.Epoch.Length.ShouldBe(16);
        empty.LastSeq.ShouldBe(0);
        committed.Single().Epoch.ShouldBe(empty.Epoch);
    }

    [Fact]
    public async Task TheFirstMatchingRuleLimitsARoomByCountAndOtherRoomsKeepTheDefault()
    {
        var (vip, chat, other) = (NewRoom("chat:vip"), NewRoom("chat"), NewRoom("other"));
        foreach (var room in new[] { vip, chat, other })
        {
            await AppendAsync(room, 12);
        }

        var result = await Trimmer(new RetentionOptions
        {
            MaxEvents = 6,
            Rules = [new() { Pattern = "chat:vip*", MaxEvents = 10 }, new() { Pattern = "chat:*", MaxEvents = 3 }],
        }).RunPassAsync(CancellationToken.None);

        result.ShouldNotBeNull();
        (await RowsAsync(vip)).ShouldBe(10);
        (await RowsAsync(chat)).ShouldBe(3);
        (await RowsAsync(other)).ShouldBe(6);
        var position = await fixture.Reader.GetPositionAsync(chat, CancellationToken.None);
        (position.FirstSeq, position.LastSeq).ShouldBe((10L, 12L));
        (await fixture.Reader.ReadAfterAsync(chat, 0, 100, CancellationToken.None)).Events.Select(e => e.Seq).ShouldBe([10, 11, 12]);
    }

    [Fact]
    public async Task EventsStoredLongerAgoThanMaxAgeAreTrimmed()
    {
        var room = NewRoom("aged");
        await AppendAsync(room, 5);
        await using (var age = _dataSource.CreateCommand("UPDATE room_events SET stored_at = now() - interval '1 hour' WHERE room_id = $1 AND seq <= 3"))
        {
            age.Parameters.Add(new NpgsqlParameter { Value = room });
            await age.ExecuteNonQueryAsync();
        }

        await Trimmer(new RetentionOptions { Rules = [new() { Pattern = "aged:*", MaxAge = TimeSpan.FromMinutes(30) }] })
            .RunPassAsync(CancellationToken.None);

        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).FirstSeq.ShouldBe(4);
        (await RowsAsync(room)).ShouldBe(2);
    }

    [Fact]
    public async Task AnEphemeralRoomKeepsNoEventButItsSeqsGoOn()
    {
        var room = NewRoom("cursor");
        await AppendAsync(room, 3);

        await Trimmer(new RetentionOptions { Rules = [new() { Pattern = "cursor:*", MaxEvents = 0 }] }).RunPassAsync(CancellationToken.None);
        var next = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(4), DateTimeOffset.UtcNow)], CancellationToken.None);

        (await RowsAsync(room)).ShouldBe(1);
        next.Single().Seq.ShouldBe(4);
        (await fixture.Reader.ReadAfterAsync(room, 0, 10, CancellationToken.None)).Events.Select(e => e.Seq).ShouldBe([4]);
    }

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
    public async Task ResettingARoomGivesItANewEpochAndNoEventsWhileItsSeqsContinue()
    {
        var room = NewRoom("reset");
        await AppendAsync(room, 4);
        var before = await fixture.Reader.GetPositionAsync(room, CancellationToken.None);
        var reset = new PostgresHistoryReset(_dataSource, Options.Create(new RetentionOptions { TrimBatchSize = 10 }), NullLogger<PostgresHistoryReset>.Instance);

        var after = await reset.ResetAsync(room, CancellationToken.None);
        var next = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(5), DateTimeOffset.UtcNow)], CancellationToken.None);

        after.Epoch.ShouldNotBe(before.Epoch);
        (after.LastSeq, after.FirstSeq).ShouldBe((4L, 5L));
        next.Single().ShouldSatisfyAllConditions(e => e.Seq.ShouldBe(5), e => e.Epoch.ShouldBe(after.Epoch));
        (await RowsAsync(room)).ShouldBe(1);
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
}
