using System.Net;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// An idempotency key is remembered for <c>Idempotency:Window</c> whatever the room's retention or a reset did to its
/// event: a repeat answers the same id, takes no new seq and is delivered to nobody. On the recovery stack (its
/// retention rules: <c>two:*</c> keeps 2 events, <c>eph:*</c> none).
/// </summary>
public abstract class IdempotencyBeyondHistoryTests(RecoveryStackFixture fixture)
{
    private IngestClient Ingest => fixture.Ingest;

    private static string NewRoom(string prefix) => $"{prefix}:{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    [Fact]
    public async Task AKeyRepeatedAfterRetentionTrimmedItsEventIsNeitherStoredNorDeliveredAgain()
    {
        var room = NewRoom("two");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);
        var first = await Ingest.PublishAsync(room, "order", 1, idempotencyKey: "K");
        for (var i = 2; i <= 4; i++)
        {
            await Ingest.PublishAsync(room, "msg", i);
        }

        await Ingest.WaitForStoredAsync(room, 4);
        await Eventually.HoldsAsync(async () => (await Ingest.ReadAllAsync(room)).Events.All(e => e.Id.ToString() != first),
            "K trimmed out of history (the room keeps 2 events)");

        await ExpectRepeatIgnoredAsync(client, room, first, lastSeq: 4);
    }

    [Fact]
    public async Task AKeyRepeatedInAnEphemeralRoomIsNeitherStoredNorDeliveredAgain()
    {
        var room = NewRoom("eph");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        await client.SubscribeAsync(room);
        var first = await Ingest.PublishAsync(room, "order", 1, idempotencyKey: "K");
        await Ingest.WaitForStoredAsync(room, 1);
        await Eventually.HoldsAsync(async () => (await Ingest.ReadAllAsync(room)).Events.Count == 0, "K trimmed (the room keeps none)");

        await ExpectRepeatIgnoredAsync(client, room, first, lastSeq: 1);
    }

    [Fact]
    public async Task AKeyRepeatedAfterTheRoomWasResetIsNeitherStoredNorDeliveredAgain()
    {
        var room = NewRoom("keyreset");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);
        var first = await Ingest.PublishAsync(room, "order", 1, idempotencyKey: "K");
        await Ingest.WaitForStoredAsync(room, 1);
        using (var reset = await Ingest.Http.DeleteAsync($"/v1/rooms/{room}/events"))
        {
            reset.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await ExpectRepeatIgnoredAsync(client, room, first, lastSeq: 1);
    }

    /// <summary>Publishes K again then a marker: same id, the marker takes the next seq, and the client saw K once.</summary>
    private async Task ExpectRepeatIgnoredAsync(RecordingClient client, string room, string first, long lastSeq)
    {
        var repeat = await Ingest.PublishAsync(room, "order", 2, idempotencyKey: "K");
        var marker = await Ingest.PublishAsync(room, "marker", "end");
        await Ingest.WaitForStoredAsync(room, lastSeq + 1);

        repeat.ShouldBe(first);
        var (last, events) = await Ingest.ReadAllAsync(room);
        last.LastSeq.ShouldBe(lastSeq + 1, "the repeat took no seq");
        events.ShouldAllBe(e => e.Id.ToString() != first, "the repeat was not stored again");
        (await client.EventsUpToMarkerAsync(room, marker)).Count(e => e.Id.ToString() == first).ShouldBe(1, "delivered once");
    }
}

/// <summary>The tests above on the distributed stack.</summary>
[Collection(RecoveryStackCollection.Name)]
public sealed class IdempotencyBeyondHistoryTestsDistributed(DistributedRecoveryStackFixture fixture) : IdempotencyBeyondHistoryTests(fixture);

/// <summary>The tests above on the embedded mode.</summary>
[Collection(EmbeddedRecoveryStackCollection.Name)]
public sealed class IdempotencyBeyondHistoryTestsEmbedded(EmbeddedRecoveryStackFixture fixture) : IdempotencyBeyondHistoryTests(fixture);
