namespace Fanout.Client;

/// <summary>
/// The arguments of one <c>Subscribe</c> call a <see cref="RoomTracker"/> asks for. <paramref name="Attempt"/>
/// identifies the call: an answer to an older attempt is ignored.
/// </summary>
internal sealed record SubscribeRequest(int Attempt, long? AfterSeq, string? Epoch);
