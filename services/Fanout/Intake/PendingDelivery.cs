using System.Diagnostics;
using Fanout.Contracts.Messages;
using RabbitMQ.Client;

namespace Fanout.Sequencer.Intake;

/// <summary>
/// One message taken from a partition queue and not yet acknowledged. <see cref="Submission"/> is null for a
/// message that could not be read (it is dead-lettered, then acknowledged like the others). With tracing on,
/// <see cref="TraceParent"/> is the context the message carried (its <c>publish fanout.submit</c> span) and
/// <see cref="ReceivedAt"/> when it arrived; both are empty otherwise.
/// </summary>
public sealed record PendingDelivery(
    int Partition,
    IChannel Channel,
    ulong DeliveryTag,
    EventSubmission? Submission,
    ReadOnlyMemory<byte> Body,
    string? ReadError,
    ActivityContext TraceParent = default,
    DateTimeOffset ReceivedAt = default);
