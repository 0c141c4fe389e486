using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.History.Idempotency;
using Fanout.History.Retention;

namespace Fanout.IntegrationTests.History;

/// <summary>
/// Idempotency keys are remembered for their own window, whatever retention or a reset did to the event: the spec every
/// history store passes.
/// </summary>
public abstract class IdempotencySpec(HistoryStoreFixture fixture)
{
    private static string NewRoom(string prefix) => $"{prefix}:{Guid.NewGuid():N}";

    private static SubmittedEvent Keyed(string room, string key, int n) =>
        new(EventIds.FromIdempotencyKey(room, key), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow);

    private static SubmittedEvent Fresh(string room, int n) =>
        new(EventIds.New(), room, "t", JsonSerializer.SerializeToElement(n), DateTimeOffset.UtcNow);

    private async Task AppendFreshAsync(string room, int count)
    {
        for (var n = 0; n < count; n++)
        {
            await fixture.Writer.AppendAsync([Fresh(room, n)], CancellationToken.None);
        }
    }

    [Fact]
    public async Task AKeyWhoseEventWasTrimmedByCountIsNotStoredAgain()
    {
        var room = NewRoom("kept2");
        await fixture.Writer.AppendAsync([Keyed(room, "K", 1)], CancellationToken.None);
        await AppendFreshAsync(room, 3);
        await fixture.Trimmer(new RetentionOptions { Rules = [new() { Pattern = "kept2:*", MaxEvents = 2 }] }).RunPassAsync(CancellationToken.None);

        var repeat = await fixture.Writer.AppendAsync([Keyed(room, "K", 99)], CancellationToken.None);

        repeat.ShouldBeEmpty("nothing is stored, so nothing is routed");
        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).LastSeq.ShouldBe(4, "no new seq");
        (await fixture.RowsAsync(room)).ShouldBe(2);
    }

    [Fact]
    public async Task AKeyInAnEphemeralRoomIsNotStoredAgain()
    {
        var room = NewRoom("ephemeral");
        await fixture.Writer.AppendAsync([Keyed(room, "K", 1)], CancellationToken.None);
        await fixture.Trimmer(new RetentionOptions { Rules = [new() { Pattern = "ephemeral:*", MaxEvents = 0 }] }).RunPassAsync(CancellationToken.None);

        var repeat = await fixture.Writer.AppendAsync([Keyed(room, "K", 2), Fresh(room, 3)], CancellationToken.None);

        repeat.Select(e => e.Seq).ShouldBe([2], "only the event without a key is stored");
        (await fixture.RowsAsync(room)).ShouldBe(1);
    }

    [Fact]
    public async Task AKeyWhoseRoomWasResetIsNotStoredAgain()
    {
        var room = NewRoom("reset");
        await fixture.Writer.AppendAsync([Keyed(room, "K", 1)], CancellationToken.None);
        var reset = await fixture.Reset(new RetentionOptions()).ResetAsync(room, CancellationToken.None);

        var repeat = await fixture.Writer.AppendAsync([Keyed(room, "K", 2)], CancellationToken.None);

        repeat.ShouldBeEmpty();
        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).ShouldSatisfyAllConditions(
            p => p.LastSeq.ShouldBe(reset.LastSeq), p => p.Epoch.ShouldBe(reset.Epoch));
        (await fixture.RowsAsync(room)).ShouldBe(0);
    }

    [Fact]
    public async Task AKeyStillInHistoryComesBackAsStored()
    {
        var room = NewRoom("kept");
        var first = await fixture.Writer.AppendAsync([Keyed(room, "K", 1)], CancellationToken.None);

        var repeat = await fixture.Writer.AppendAsync([Keyed(room, "K", 2)], CancellationToken.None);

        repeat.Select(e => (e.Id, e.Seq, e.Epoch, e.Data.GetInt32())).ShouldBe(first.Select(e => (e.Id, e.Seq, e.Epoch, 1)));
    }

    [Fact]
    public async Task TheTrimmerForgetsKeysPastTheirWindowAndThenTheKeyIsANewEvent()
    {
        var room = NewRoom("window");
        var other = NewRoom("window");
        await fixture.Writer.AppendAsync([Keyed(room, "K", 1), Keyed(other, "K", 1)], CancellationToken.None);
        var retention = new RetentionOptions { Rules = [new() { Pattern = "window:*", MaxEvents = 0 }] };
        await fixture.AgeKeysAsync(room, TimeSpan.FromHours(2));

        var pass = await fixture.Trimmer(retention, new IdempotencyOptions { Window = TimeSpan.FromHours(1) }).RunPassAsync(CancellationToken.None);
        var afterWindow = await fixture.Writer.AppendAsync([Keyed(room, "K", 2), Keyed(other, "K", 2)], CancellationToken.None);

        pass.ShouldNotBeNull().KeysForgotten.ShouldBeGreaterThanOrEqualTo(1);
        afterWindow.Select(e => (e.Room, e.Seq)).ShouldBe([(room, 2L)], "the key within its window is still remembered");
    }
}

public sealed class PostgresIdempotencyTests(HistoryFixture fixture) : IdempotencySpec(fixture), IClassFixture<HistoryFixture>;

public sealed class SqliteIdempotencyTests(SqliteHistoryFixture fixture) : IdempotencySpec(fixture), IClassFixture<SqliteHistoryFixture>;
