namespace Fanout.Contracts.Wire;

/// <summary>
/// How much history a room keeps (its retention rule, <c>Retention:*</c>) and the first seq it still serves: part of the
/// HTTP history answers (<c>GET</c> and <c>DELETE /v1/rooms/{room}/events</c>).
/// </summary>
public sealed record RoomRetentionResponse(int MaxEvents, long MaxAgeSeconds, long FirstSeq);
