using System.Text.Json;
using Fanout.Client;

namespace Fanout.UnitTests.Client;

/// <summary>Events and answers for the client's unit tests.</summary>
internal static class RoomEvents
{
    public const string Room = "chat:lobby";
    public const string Epoch = "e1";

    public static FanoutEvent Event(long seq, string epoch = Epoch, string room = Room) =>
        new(room, seq, epoch, $"id-{epoch}-{seq}", "msg", JsonSerializer.SerializeToElement(seq), DateTimeOffset.UnixEpoch);

    public static SubscribeReply Live(long lastSeq, string epoch = Epoch) => new(Room, epoch, lastSeq, false, 0);

    public static SubscribeReply Recovered(long lastSeq, int replayed, string epoch = Epoch) => new(Room, epoch, lastSeq, true, replayed);

    public static SubscribeReply NotRecovered(long lastSeq, string? reason, string epoch = Epoch) => new(Room, epoch, lastSeq, false, 0, reason);

    /// <summary>The seqs of the events among <paramref name="notices"/>, in order.</summary>
    public static long[] Seqs(this IEnumerable<RoomNotice> notices) => notices.OfType<EventNotice>().Select(n => n.Event.Seq).ToArray();

    /// <summary>A short text of each notice, in order: "3" for event 3, "recovered:2", "reset:trimmed".</summary>
    public static string[] Describe(this IEnumerable<RoomNotice> notices) => notices.Select(n => n switch
    {
        EventNotice e => e.Event.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RecoveredNotice r => $"recovered:{r.Replayed}",
        ResetNotice r => $"reset:{r.Reason}",
        _ => n.GetType().Name,
    }).ToArray();

    /// <summary>A tracker that subscribed from now at <paramref name="lastSeq"/> and is live.</summary>
    public static RoomTracker LiveAt(long lastSeq, string epoch = Epoch)
    {
        var tracker = new RoomTracker(Room);
        var request = tracker.BeginSubscribe();
        tracker.Complete(request.Attempt, Live(lastSeq, epoch));
        return tracker;
    }
}
