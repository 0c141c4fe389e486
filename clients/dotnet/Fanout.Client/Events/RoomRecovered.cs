namespace Fanout.Client;

/// <summary>
/// A room was resubscribed from the last event the client had and nothing was lost: <paramref name="Replayed"/>
/// missed events came from history and have been handed to the room's handler before this is raised.
/// </summary>
public sealed record RoomRecovered(string Room, int Replayed, string Epoch, long LastSeq);
