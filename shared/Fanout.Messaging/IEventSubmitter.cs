using Fanout.Contracts.Messages;

namespace Fanout.Messaging;

/// <summary>
/// The durable entry of the event path (the transport seam).
/// Guarantee: when <see cref="SubmitAsync"/> returns, every event is durably stored by the transport
/// (RabbitMQ: publisher-confirmed, persistent, routed to its durable partition queue) and will be sequenced.
/// Events of one room in one call are sequenced in list order; a call that starts after an earlier call
/// returned is sequenced after it. When it throws <see cref="SubmissionUnavailableException"/>, the caller must
/// treat the events as not accepted (some may still have been stored: retrying with the same event ids, as
/// idempotency keys give, stores each once).
/// </summary>
public interface IEventSubmitter
{
    Task SubmitAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken);
}
