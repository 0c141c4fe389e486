using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History.Retention;

namespace Fanout.IntegrationTests.History;

/// <summary>
/// Retention, resets and epochs: the spec every history store passes. A pass reads only the rooms that are due (written
/// or reset since the last pass, or whose oldest event aged out), after a first pass over every room.
/// </summary>
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

    [Fact]
    public async Task APassReadsOnlyTheRoomsWrittenSinceTheLastOneAndTrimsARoomAtItsCapAmongManyOthers()
    {
        var options = new RetentionOptions { MaxEvents = 5 };
        var trimmer = fixture.Trimmer(options);
        var rooms = Enumerable.Range(0, 1_500).Select(_ => NewRoom("many")).ToList();
        foreach (var chunk in rooms.Chunk(250))
        {
            await fixture.Writer.AppendAsync(
                chunk.SelectMany(room => Enumerable.Range(0, 5).Select(n =>
                    new SubmittedEvent(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow))).ToList(),
                CancellationToken.None);
        }

        var first = await trimmer.RunPassAsync(CancellationToken.None);
        var idle = await trimmer.RunPassAsync(CancellationToken.None);
        var target = rooms[1_234];
        await AppendAsync(target, 3);
        var after = await trimmer.RunPassAsync(CancellationToken.None);

        first.ShouldNotBeNull().RoomsVisited.ShouldBeGreaterThanOrEqualTo(rooms.Count, "the first pass of a process visits every room");
        idle.ShouldNotBeNull().RoomsVisited.ShouldBe(0, "nothing was written and nothing aged out");
        after.ShouldNotBeNull().ShouldSatisfyAllConditions(
            r => r.RoomsVisited.ShouldBe(1),
            r => r.Rooms.ShouldBe(1),
            r => r.Events.ShouldBe(3));
        (await fixture.RowsAsync(target)).ShouldBe(5);
        (await fixture.Reader.GetPositionAsync(target, CancellationToken.None)).FirstSeq.ShouldBe(4);
    }

    [Fact]
    public async Task ARoomIsTrimmedWhenItsOldestEventAgesOutWithoutBeingWrittenAgain()
    {
        var room = NewRoom("aging");
        var trimmer = fixture.Trimmer(new RetentionOptions { Rules = [new() { Pattern = "aging:*", MaxAge = TimeSpan.FromSeconds(5) }] });
        await AppendAsync(room, 3);
        (await trimmer.RunPassAsync(CancellationToken.None)).ShouldNotBeNull();
        (await trimmer.RunPassAsync(CancellationToken.None)).ShouldNotBeNull().RoomsVisited.ShouldBe(0, "not due yet");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await fixture.RowsAsync(room) > 0 && DateTime.UtcNow < deadline)
        {
            await trimmer.RunPassAsync(CancellationToken.None);
            await Task.Delay(100);
        }

        (await fixture.RowsAsync(room)).ShouldBe(0);
        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).FirstSeq.ShouldBe(4);
        (await trimmer.RunPassAsync(CancellationToken.None)).ShouldNotBeNull().RoomsVisited.ShouldBe(0, "a room that retains nothing is not due");
    }

    [Fact]
    public async Task AResetRoomIsVisitedByTheNextPass()
    {
        var room = NewRoom("reset-visit");
        var trimmer = fixture.Trimmer(new RetentionOptions());
        await AppendAsync(room, 3);
        await trimmer.RunPassAsync(CancellationToken.None);

        await fixture.Reset(new RetentionOptions()).ResetAsync(room, CancellationToken.None);
        var pass = await trimmer.RunPassAsync(CancellationToken.None);

        pass.ShouldNotBeNull().RoomsVisited.ShouldBe(1);
    }
}

public sealed class PostgresRetentionTests(HistoryFixture fixture) : RetentionSpec(fixture), IClassFixture<HistoryFixture>;

public sealed class SqliteRetentionTests(SqliteHistoryFixture fixture) : RetentionSpec(fixture), IClassFixture<SqliteHistoryFixture>;
