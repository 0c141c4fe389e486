namespace Fanout.Contracts.Messages;

/// <summary>
/// What Ingest and the hub put on one sequencer partition queue: the events of one request that fall into
/// that partition, in request order. The sequencer stores them in that order.
/// </summary>
public sealed record EventSubmission(IReadOnlyList<SubmittedEvent> Events);
