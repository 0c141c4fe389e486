using System.Net;
using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// Reconnect recovery and retention on a real cluster (2 sequencers, 2 nodes): replays after a drop, the reasons a
/// recovery is refused, trimming by count, age and pattern, ephemeral rooms, reset epochs.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RecoveryStackCollection : ICollectionFixture<DistributedRecoveryStackFixture>
{
    public const string Name = "recovery stack";
}

[CollectionDefinition(Name)]
public sealed class EmbeddedRecoveryStackCollection : ICollectionFixture<EmbeddedRecoveryStackFixture>
{
    public const string Name = "recovery stack, embedded";
}

public sealed class DistributedRecoveryStackFixture() : RecoveryStackFixture(StackMode.Distributed);

public sealed class EmbeddedRecoveryStackFixture() : RecoveryStackFixture(StackMode.Embedded);

/// <summary>A stack with a small MaxReplay and retention rules per pattern, trimming often (also for <see cref="IdempotencyBeyondHistoryTests"/>).</summary>
public abstract class RecoveryStackFixture(StackMode mode) : IAsyncLifetime
{
    public const int MaxReplay = 500;
    public const int TrimKeeps = 20;

    public FanoutStack Stack { get; private set; } = null!;

    public IngestClient Ingest { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stack = await FanoutStack.StartAsync(new StackOptions
        {
            Mode = mode,
            Settings = new Dictionary<string, string>
            {
                ["Realtime:MaxReplay"] = MaxReplay.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Retention:TrimIntervalMs"] = "300",
                ["Retention:Rules:0:Pattern"] = "trim:*",
                ["Retention:Rules:0:MaxEvents"] = TrimKeeps.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Retention:Rules:1:Pattern"] = "age:*",
                ["Retention:Rules:1:MaxAge"] = "00:00:02",
                ["Retention:Rules:2:Pattern"] = "eph:*",
                ["Retention:Rules:2:MaxEvents"] = "0",
                ["Retention:Rules:3:Pattern"] = "two:*",
                ["Retention:Rules:3:MaxEvents"] = "2",
            },
        });
        Ingest = new IngestClient(Stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        Ingest.Dispose();
        await Stack.DisposeAsync();
    }
}

public abstract class RecoveryTests(RecoveryStackFixture fixture)
{
    private FanoutStack Stack => fixture.Stack;

    private IngestClient Ingest => fixture.Ingest;

    private static string NewRoom(string prefix) => $"{prefix}:{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    [Fact]
    public async Task TheHistoryAnswerNamesTheRulesThatApplyToTheRoomAndTheFirstSeqItServes()
    {
        var (trimmed, ephemeral, other) = (NewRoom("trim"), NewRoom("eph"), NewRoom("plain"));
        foreach (var room in new[] { trimmed, ephemeral, other })
        {
            await Ingest.PublishAsync(room, "msg", 1);
        }

        var answers = new List<RoomHistoryResponse>();
        foreach (var room in new[] { trimmed, ephemeral, other })
        {
            await Ingest.WaitForStoredAsync(room, 1);
            answers.Add((await Ingest.Http.GetFromJsonAsync<RoomHistoryResponse>($"/v1/rooms/{room}/events"))!);
        }

        answers.Select(a => a.Retention).ShouldBe([
            new RoomRetentionResponse(RecoveryStackFixture.TrimKeeps, 86_400, 1),
            new RoomRetentionResponse(0, 86_400, 2),
            new RoomRetentionResponse(1000, 86_400, 1),
        ]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AClientThatDropsForTenSecondsWhileFiveHundredEventsArePublishedGetsEachOnceInOrder(int reconnectTo)
    {
        var room = NewRoom("drop");
        await using var client = new ResumableClient(Stack, room);
        await client.ConnectAsync(0);
        for (var i = 0; i < 5; i++)
        {
            await Ingest.PublishAsync(room, "before", i);
        }

        await client.WaitForAsync(5);
        await client.DropAsync();

        // 500 events over about ten seconds while the client is away.
        var started = DateTime.UtcNow;
        for (var i = 0; i < 500; i++)
        {
            await Ingest.PublishAsync(room, "away", i);
            var due = started + TimeSpan.FromMilliseconds(20 * (i + 1));
            if (due > DateTime.UtcNow)
            {
                await Task.Delay(due - DateTime.UtcNow);
            }
        }

        await Ingest.WaitForStoredAsync(room, 505);
        var result = await client.ConnectAsync(reconnectTo);
        await Ingest.PublishAsync(room, "after", 0);
        await client.WaitForAsync(506);

        result.Recovered.ShouldBeTrue();
        result.Reason.ShouldBeNull();
        result.Replayed.ShouldBe(RecoveryStackFixture.MaxReplay, "exactly MaxReplay missing events still recover");
        client.Events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 506).Select(i => (long)i));
    }

    [Fact]
    public async Task MissingExactlyMaxReplayEventsRecoversAndOneMoreIsTooManyWithNoPartialReplay()
    {
        var room = NewRoom("many");
        await PublishManyAsync(room, RecoveryStackFixture.MaxReplay + 1);
        await Ingest.WaitForStoredAsync(room, RecoveryStackFixture.MaxReplay + 1);
        var epoch = (await Ingest.ReadAllAsync(room)).Last.Epoch;

        await using var exact = await RecordingClient.ConnectAsync(Stack, 0);
        var recovered = await exact.SubscribeAsync(room, afterSeq: 1, epoch);
        await using var tooMany = await RecordingClient.ConnectAsync(Stack, 1);
        var refused = await tooMany.SubscribeAsync(room, afterSeq: 0, epoch);

        recovered.ShouldBe(new SubscribeResult(room, epoch, RecoveryStackFixture.MaxReplay + 1, true, RecoveryStackFixture.MaxReplay));
        await exact.WaitForAsync(room, RecoveryStackFixture.MaxReplay);
        exact.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range(2, RecoveryStackFixture.MaxReplay).Select(i => (long)i));
        refused.ShouldBe(new SubscribeResult(room, epoch, RecoveryStackFixture.MaxReplay + 1, false, 0, RecoveryReasons.TooMany));
        await Ingest.PublishAsync(room, "live", 1);
        await tooMany.WaitForAsync(room, 1);
        tooMany.Events(room).Select(e => e.Seq).ShouldBe([RecoveryStackFixture.MaxReplay + 2L], "live from now, nothing replayed");
    }

    [Fact]
    public async Task ARoomKeepsItsNewestEventsByCountAndAClientMissingTrimmedOnesIsToldTrimmed()
    {
        var room = NewRoom("trim");
        await PublishManyAsync(room, 30);
        await Ingest.WaitForStoredAsync(room, 30);
        await Eventually.HoldsAsync(async () => (await Ingest.ReadAllAsync(room)).Events.Count == RecoveryStackFixture.TrimKeeps,
            "history trimmed to the newest 20");
        var (last, events) = await Ingest.ReadAllAsync(room);
        events.Select(e => e.Seq).ShouldBe(Enumerable.Range(11, 20).Select(i => (long)i));
        (await CountStoredRowsAsync(room)).ShouldBe(RecoveryStackFixture.TrimKeeps, "the rows are deleted, not only hidden");

        await using var client = await RecordingClient.ConnectAsync(Stack, 0);
        var trimmed = await client.SubscribeAsync(room, afterSeq: 9, last.Epoch);
        var recovered = await client.SubscribeAsync(room, afterSeq: 10, last.Epoch);

        trimmed.ShouldBe(new SubscribeResult(room, last.Epoch, 30, false, 0, RecoveryReasons.Trimmed));
        recovered.ShouldBe(new SubscribeResult(room, last.Epoch, 30, true, 20));
    }

    [Fact]
    public async Task EventsOlderThanTheRoomsMaxAgeAreTrimmedWhileOtherRoomsKeepTheDefault()
    {
        var (aged, other) = (NewRoom("age"), NewRoom("keep"));
        await PublishManyAsync(aged, 3);
        await PublishManyAsync(other, 3);
        await Ingest.WaitForStoredAsync(aged, 3);
        await Ingest.WaitForStoredAsync(other, 3);

        await Eventually.HoldsAsync(async () => (await Ingest.ReadAllAsync(aged)).Events.Count == 0,
            "events older than 2 s trimmed", TimeSpan.FromSeconds(20));
        (await CountStoredRowsAsync(aged)).ShouldBe(0);
        (await Ingest.ReadAllAsync(other)).Events.Count.ShouldBe(3, "no rule matches: 1,000 events and a day");

        await using var client = await RecordingClient.ConnectAsync(Stack, 1);
        var result = await client.SubscribeAsync(aged, afterSeq: 0);
        result.Recovered.ShouldBeFalse();
        result.Reason.ShouldBe(RecoveryReasons.Trimmed);
        result.LastSeq.ShouldBe(3);
    }

    [Fact]
    public async Task AnEphemeralRoomKeepsNoHistoryButStillNumbersAndDeliversItsEvents()
    {
        var room = NewRoom("eph");
        await using var live = await RecordingClient.ConnectAsync(Stack, 0);
        var joined = await live.SubscribeAsync(room);
        await PublishManyAsync(room, 3);
        await live.WaitForAsync(room, 3);
        live.Events(room).Select(e => e.Seq).ShouldBe([1, 2, 3]);
        await Eventually.HoldsAsync(async () => await CountStoredRowsAsync(room) == 0, "ephemeral events deleted");

        await using var late = await RecordingClient.ConnectAsync(Stack, 1);
        var result = await late.SubscribeAsync(room, afterSeq: 1, joined.Epoch);

        result.ShouldBe(new SubscribeResult(room, joined.Epoch, 3, false, 0, RecoveryReasons.Trimmed));
        (await Ingest.ReadAllAsync(room)).Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnEmptyRoomHasAnEpochThatItsFirstEventKeepsSoRecoveryFromZeroWorks()
    {
        var room = NewRoom("empty");
        await using var client = await RecordingClient.ConnectAsync(Stack, 0);
        var empty = await client.SubscribeAsync(room);
        empty.Epoch.ShouldNotBeNullOrEmpty();
        empty.LastSeq.ShouldBe(0);
        (await Ingest.ReadAllAsync(room)).Last.Epoch.ShouldBe(empty.Epoch);

        await client.UnsubscribeAsync(room);
        await Ingest.PublishAsync(room, "first", 1);
        await Ingest.WaitForStoredAsync(room, 1);
        await using var other = await RecordingClient.ConnectAsync(Stack, 1);
        var result = await other.SubscribeAsync(room, afterSeq: 0, empty.Epoch);

        result.ShouldBe(new SubscribeResult(room, empty.Epoch, 1, true, 1));
        await other.WaitForAsync(room, 1);
        other.Events(room).Single().Epoch.ShouldBe(empty.Epoch);
    }

    [Fact]
    public async Task AResetRoomGetsANewEpochKeepsCountingAndClientsOfTheOldEpochAreToldEpochChanged()
    {
        var room = NewRoom("reset");
        await PublishManyAsync(room, 3);
        await Ingest.WaitForStoredAsync(room, 3);
        var before = (await Ingest.ReadAllAsync(room)).Last;

        using var reset = await Ingest.Http.DeleteAsync($"/v1/rooms/{room}/events");
        reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = (await reset.Content.ReadFromJsonAsync<RoomHistoryResponse>())!;
        after.Epoch.ShouldNotBe(before.Epoch);
        after.LastSeq.ShouldBe(3);
        after.Events.ShouldBeEmpty();
        (await CountStoredRowsAsync(room)).ShouldBe(0);

        await Ingest.PublishAsync(room, "new", 4);
        await Ingest.WaitForStoredAsync(room, 4);
        await using var client = await RecordingClient.ConnectAsync(Stack, 0);
        var old = await client.SubscribeAsync(room, afterSeq: 2, before.Epoch);
        var current = await client.SubscribeAsync(room, afterSeq: 3, after.Epoch);

        old.ShouldBe(new SubscribeResult(room, after.Epoch, 4, false, 0, RecoveryReasons.EpochChanged));
        current.ShouldBe(new SubscribeResult(room, after.Epoch, 4, true, 1));
        await client.WaitForAsync(room, 1);
        client.Events(room).Select(e => (e.Seq, e.Epoch)).ShouldBe([(4L, after.Epoch)]);
    }

    private async Task PublishManyAsync(string room, int count)
    {
        for (var start = 0; start < count; start += 500)
        {
            var items = Enumerable.Range(start, Math.Min(500, count - start)).Select(n => new { room, type = "msg", data = n });
            using var response = await Ingest.Http.PostAsJsonAsync("/v1/events", new { events = items });
            response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task<long> CountStoredRowsAsync(string room)
    {
        if (Stack.Mode == StackMode.Embedded)
        {
            return await EmbeddedHistoryFile.CountStoredRowsAsync(Stack, room);
        }

        await using var dataSource = Npgsql.NpgsqlDataSource.Create(Stack.Database.ConnectionString);
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM room_events WHERE room_id = $1");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = room });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>The tests above on the distributed stack (two sequencers, two nodes).</summary>
[Collection(RecoveryStackCollection.Name)]
public sealed class RecoveryTestsDistributed(DistributedRecoveryStackFixture fixture) : RecoveryTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedRecoveryStackCollection.Name)]
public sealed class RecoveryTestsEmbedded(EmbeddedRecoveryStackFixture fixture) : RecoveryTests(fixture);
