using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History.Retention;

namespace Fanout.IntegrationTests.History;

/// <summary>Retention, resets and epochs: the spec every history store passes.</summary>
public abstract class RetentionSpec(HistoryStoreFixture fixture)
{
    private static string NewRoom(string prefix) => $"{prefix}:{Guid.NewGuid():N}";

    private async Task AppendAsync(string room, int count) =>
        await fixture.Writer.AppendAsync(
            Enumerable.Range(0, count).Select(n => new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow)).ToList(),
            CancellationToken.None);

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

        var result = await fixture.Trimmer(new RetentionOptions
        {
            MaxEvents = 6,
            Rules = [new() { Pattern = "chat:vip*", MaxEvents = 10 }, new() { Pattern = "chat:*", MaxEvents = 3 }],
        }).RunPassAsync(CancellationToken.None);

        result.ShouldNotBeNull();
        (await fixture.RowsAsync(vip)).ShouldBe(10);
        (await fixture.RowsAsync(chat)).ShouldBe(3);
        (await fixture.RowsAsync(other)).ShouldBe(6);
        var position = await fixture.Reader.GetPositionAsync(chat, CancellationToken.None);
        (position.FirstSeq, position.LastSeq).ShouldBe((10L, 12L));
        (await fixture.Reader.ReadAfterAsync(chat, 0, 100, CancellationToken.None)).Events.Select(e => e.Seq).ShouldBe([10, 11, 12]);
    }

    [Fact]
    public async Task EventsStoredLongerAgoThanMaxAgeAreTrimmed()
    {
        var room = NewRoom("aged");
        await AppendAsync(room, 5);
        await fixture.AgeAsync(room, 3, TimeSpan.FromHours(1));

        await fixture.Trimmer(new RetentionOptions { Rules = [new() { Pattern = "aged:*", MaxAge = TimeSpan.FromMinutes(30) }] })
            .RunPassAsync(CancellationToken.None);

        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).FirstSeq.ShouldBe(4);
        (await fixture.RowsAsync(room)).ShouldBe(2);
    }

    [Fact]
    public async Task AnEphemeralRoomKeepsNoEventButItsSeqsGoOn()
    {
        var room = NewRoom("cursor");
        await AppendAsync(room, 3);

        await fixture.Trimmer(new RetentionOptions { Rules = [new() { Pattern = "cursor:*", MaxEvents = 0 }] }).RunPassAsync(CancellationToken.None);
        var next = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(4), DateTimeOffset.UtcNow)], CancellationToken.None);

        (await fixture.RowsAsync(room)).ShouldBe(1);
        next.Single().Seq.ShouldBe(4);
        (await fixture.Reader.ReadAfterAsync(room, 0, 10, CancellationToken.None)).Events.Select(e => e.Seq).ShouldBe([4]);
    }

    [Fact]
    public async Task ResettingARoomGivesItANewEpochAndNoEventsWhileItsSeqsContinue()
    {
        var room = NewRoom("reset");
        await AppendAsync(room, 4);
        var before = await fixture.Reader.GetPositionAsync(room, CancellationToken.None);
        var reset = fixture.Reset(new RetentionOptions { TrimBatchSize = 10 });

        var after = await reset.ResetAsync(room, CancellationToken.None);
        var next = await fixture.Writer.AppendAsync(
            [new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(5), DateTimeOffset.UtcNow)], CancellationToken.None);

        after.Epoch.ShouldNotBe(before.Epoch);
        (after.LastSeq, after.FirstSeq).ShouldBe((4L, 5L));
        next.Single().ShouldSatisfyAllConditions(e => e.Seq.ShouldBe(5), e => e.Epoch.ShouldBe(after.Epoch));
        (await fixture.RowsAsync(room)).ShouldBe(1);
    }
}

public sealed class PostgresRetentionTests(HistoryFixture fixture) : RetentionSpec(fixture), IClassFixture<HistoryFixture>;

public sealed class SqliteRetentionTests(SqliteHistoryFixture fixture) : RetentionSpec(fixture), IClassFixture<SqliteHistoryFixture>;
