namespace Fanout.Client;

/// <summary>Something a <see cref="RoomTracker"/> hands to the application, in the order it must be seen.</summary>
internal abstract record RoomNotice;

/// <summary>The room's next event, in seq order.</summary>
internal sealed record EventNotice(FanoutEvent Event) : RoomNotice;

/// <summary>The room was recovered; every replayed event has been handed out before this.</summary>
internal sealed record RecoveredNotice(int Replayed, string Epoch, long LastSeq) : RoomNotice;

/// <summary>The room could not be recovered; live events from <paramref name="Epoch"/>/<paramref name="LastSeq"/> follow.</summary>
internal sealed record ResetNotice(string? Reason, string Epoch, long LastSeq) : RoomNotice;
