using System.Diagnostics;
using Fanout.Contracts.Messages;

namespace Fanout.Messaging.Submission;

/// <summary>
/// One caller's events for one partition, waiting in a <see cref="SubmitLane"/> to be published and confirmed.
/// A caller that stops waiting (timeout, cancellation) abandons it: when that happens before the lane took it into
/// a message, it is never published.
/// </summary>
public sealed class PendingSubmission(IReadOnlyList<SubmittedEvent> events, int dataBytes, ActivityContext traceContext)
{
    private readonly TaskCompletionSource _confirmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state; // 0 waiting, 1 taken into a message, 2 abandoned

    public IReadOnlyList<SubmittedEvent> Events { get; } = events;

    /// <summary>The bytes of the events' <c>data</c> (what makes a message large).</summary>
    public int DataBytes { get; } = dataBytes;

    /// <summary>The caller's trace context when it submitted (default without tracing).</summary>
    public ActivityContext TraceContext { get; } = traceContext;

    /// <summary>Completes when the message carrying these events is confirmed; faults with why it was not.</summary>
    public Task Confirmed => _confirmed.Task;

    /// <summary>Claims it for a message; false when the caller abandoned it first.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

    /// <summary>Gives it up; false when it was already taken into a message (which may still be confirmed).</summary>
    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

    public void Confirm() => _confirmed.TrySetResult();

    public void Fail(Exception exception) => _confirmed.TrySetException(exception);
}
