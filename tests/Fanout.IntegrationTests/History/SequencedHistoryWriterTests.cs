using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;

namespace Fanout.IntegrationTests.History;

/// <summary>The history writer and reader spec, run against every store.</summary>
public abstract class SequencedHistoryWriterTests(HistoryStoreFixture fixture)
{
    private static SubmittedEvent Event(string room, int n, Guid? id = null) =>
        new(id ?? EventIds.New(), room, "test", JsonSerializer.SerializeToElement(new { n }), DateTimeOffset.UtcNow);

    private static string NewRoom() => $"room:{Guid.NewGuid():N}";

    [Fact]
    public async Task TheFirstEventOfARoomGetsSeqOneAndANewEpoch()
    {
        var room = NewRoom();
        var committed = await fixture.Writer.AppendAsync([Event(room, 1)], CancellationToken.None);

        committed.Single().Seq.ShouldBe(1);
        committed.Single().Epoch.ShouldNotBeNullOrEmpty();
        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).ShouldBe(new Fanout.History.RoomPosition(committed[0].Epoch, 1));
    }

    [Fact]
    public async Task ABatchIsSequencedInListOrderPerRoom()
    {
        var (a, b) = (NewRoom(), NewRoom());
        var batch = new[] { Event(a, 1), Event(b, 1), Event(a, 2), Event(a, 3), Event(b, 2) };

        var committed = await fixture.Writer.AppendAsync(batch, CancellationToken.None);

        committed.Where(e => e.Room == a).Select(e => (e.Seq, e.Data.GetProperty("n").GetInt32())).ShouldBe([(1, 1), (2, 2), (3, 3)]);
        committed.Where(e => e.Room == b).Select(e => (e.Seq, e.Data.GetProperty("n").GetInt32())).ShouldBe([(1, 1), (2, 2)]);
    }

    [Fact]
    public async Task AStoredIdIsNotStoredAgainAndComesBackAsStored()
    {
        var room = NewRoom();
        var id = EventIds.FromIdempotencyKey(room, "once");
        var first = await fixture.Writer.AppendAsync([Event(room, 1, id)], CancellationToken.None);
        var repeat = await fixture.Writer.AppendAsync([Event(room, 99, id), Event(room, 2)], CancellationToken.None);

        repeat.Select(e => e.Seq).ShouldBe([1, 2]);
        repeat[0].Data.GetProperty("n").GetInt32().ShouldBe(1, "the first body wins");
        repeat[0].Id.ShouldBe(first[0].Id);
        var page = await fixture.Reader.ReadAfterAsync(room, 0, 100, CancellationToken.None);
        page.Events.Select(e => e.Seq).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task TheSameIdTwiceInOneBatchIsStoredOnce()
    {
        var room = NewRoom();
        var id = EventIds.New();
        var committed = await fixture.Writer.AppendAsync([Event(room, 1, id), Event(room, 2, id)], CancellationToken.None);

        committed.Count.ShouldBe(1);
        (await fixture.Reader.GetPositionAsync(room, CancellationToken.None)).LastSeq.ShouldBe(1);
    }

    [Fact]
    public async Task ConcurrentWritersOfOneRoomNeverReuseOrSkipASeq()
    {
        var room = NewRoom();
        var writers = Enumerable.Range(0, 8).Select(async w =>
        {
            for (var i = 0; i < 25; i++)
            {
                while (true)
                {
                    try
                    {
                        await fixture.Writer.AppendAsync([Event(room, (w * 100) + i), Event(room, (w * 100) + i)], CancellationToken.None);
                        break;
                    }
                    catch (Npgsql.PostgresException ex) when (ex.SqlState is "40P01" or "40001")
                    {
                        // A deadlock victim retries, as the sequencer does.
                    }
                }
            }
        });
        await Task.WhenAll(writers);

        var page = await fixture.Reader.ReadAfterAsync(room, 0, 1000, CancellationToken.None);
        page.Events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 400).Select(i => (long)i));
        page.Position.LastSeq.ShouldBe(400);
    }

    [Fact]
    public async Task DataComesBackExactlyAsStored()
    {
        var room = NewRoom();
        using var document = JsonDocument.Parse("{\"z\":1,\"a\":[true,null,\"\\u00e9\\u0000\"],\"n\":1.50}");
        var submitted = new SubmittedEvent(EventIds.New(), room, "t", document.RootElement.Clone(), DateTimeOffset.UtcNow);
        await fixture.Writer.AppendAsync([submitted], CancellationToken.None);

        var page = await fixture.Reader.ReadAfterAsync(room, 0, 10, CancellationToken.None);
        page.Events.Single().Data.GetRawText().ShouldBe(submitted.Data.GetRawText());
    }

    [Fact]
    public async Task ReadingPagesStopsAtThePositionAndHonoursAfterAndLimit()
    {
        var room = NewRoom();
        await fixture.Writer.AppendAsync(Enumerable.Range(1, 10).Select(i => Event(room, i)).ToList(), CancellationToken.None);

        (await fixture.Reader.ReadAfterAsync(room, 3, 4, CancellationToken.None)).Events.Select(e => e.Seq).ShouldBe([4, 5, 6, 7]);
        (await fixture.Reader.ReadAfterAsync(room, 10, 100, CancellationToken.None)).Events.ShouldBeEmpty();
        (await fixture.Reader.ReadAfterAsync(room, 50, 100, CancellationToken.None)).Position.LastSeq.ShouldBe(10);
        var empty = (await fixture.Reader.ReadAfterAsync(NewRoom(), 0, 100, CancellationToken.None)).Position;
        (empty.LastSeq, empty.FirstSeq, empty.Epoch.Length).ShouldBe((0L, 1L, 16), "an empty room has a position and an epoch");
    }
}

public sealed class PostgresSequencedHistoryWriterTests(HistoryFixture fixture) : SequencedHistoryWriterTests(fixture), IClassFixture<HistoryFixture>;

public sealed class SqliteSequencedHistoryWriterTests(SqliteHistoryFixture fixture) : SequencedHistoryWriterTests(fixture), IClassFixture<SqliteHistoryFixture>;
