namespace Fanout.Contracts.Messages;

/// <summary>
/// The presence service declared a realtime node dead: its heartbeat lapsed (or it shut down cleanly). Published on
/// the control plane (MassTransit); the fanout service stops routing to the node when it gets this.
/// </summary>
public sealed record NodeDown(string NodeId, DateTimeOffset DetectedAt, bool Clean);
