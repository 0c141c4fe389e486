namespace Fanout.Messaging.Submission;

/// <summary>
/// Group commit for one partition: at most <c>maxInFlight</c> messages in flight at a time; what callers submit while
/// they are all being confirmed waits and leaves together in the next message, in arrival order. Idle, a submission is
/// published at once on the caller's thread (no added latency); busy, many callers share one persistent message, one
/// publish and one confirm, so the broker's and the sequencer's cost per event falls as load rises instead of
/// saturating them. More than one in flight keeps a slow confirm (a broker disk sync) from holding back the next
/// submissions, at the price of less sharing.
/// </summary>
/// <remarks>
/// Order: submissions are taken in the order they arrived. A call that starts after an earlier call returned is in a
/// message published after the earlier one was confirmed, so it is behind it in the partition queue; calls that overlap
/// have no order between them (with several messages in flight, their messages may reach the queue in either order).
/// A message failing fails every submission in it; an abandoned submission not yet taken is skipped.
/// </remarks>
public sealed class SubmitLane(Func<IReadOnlyList<PendingSubmission>, Task> publish, int maxBatchEvents, int maxBatchBytes, int maxInFlight = 1)
{
    private readonly Queue<PendingSubmission> _waiting = new();
    private readonly Lock _gate = new();
    private readonly int _maxInFlight = maxInFlight >= 1 ? maxInFlight : throw new ArgumentOutOfRangeException(nameof(maxInFlight), maxInFlight, "at least 1");
    private int _publishers;

    /// <summary>Submissions waiting for the message in flight (for tests and diagnostics).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="submission"/>; await its <see cref="PendingSubmission.Confirmed"/>.</summary>
    public void Submit(PendingSubmission submission)
    {
        lock (_gate)
        {
            _waiting.Enqueue(submission);
            if (_publishers >= _maxInFlight)
            {
                return;
            }

            _publishers++;
        }

        // The first message goes out on the caller's thread up to its first await; the loop then continues on
        // whichever thread completes each confirm.
        _ = PublishWaitingAsync();
    }

    private async Task PublishWaitingAsync()
    {
        var batch = new List<PendingSubmission>();
        while (true)
        {
            batch.Clear();
            lock (_gate)
            {
                TakeBatch(batch);
                if (batch.Count == 0)
                {
                    _publishers--;
                    return;
                }
            }

            try
            {
                await publish(batch);
                foreach (var submission in batch)
                {
                    submission.Confirm();
                }
            }
            catch (Exception ex)
            {
                foreach (var submission in batch)
                {
                    submission.Fail(ex);
                }
            }
        }
    }

    /// <summary>Takes waiting submissions in order up to the limits; the first one always, however large.</summary>
    private void TakeBatch(List<PendingSubmission> batch)
    {
        var events = 0;
        var bytes = 0;
        while (_waiting.TryPeek(out var next))
        {
            if (batch.Count > 0 && (events + next.Events.Count > maxBatchEvents || bytes + next.DataBytes > maxBatchBytes))
            {
                return;
            }

            _waiting.Dequeue();
            if (!next.TryTake())
            {
                continue; // abandoned by its caller before it left
            }

            batch.Add(next);
            events += next.Events.Count;
            bytes += next.DataBytes;
        }
    }
}
