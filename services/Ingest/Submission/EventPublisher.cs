using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Ingest.Requests;
using Fanout.Messaging;

namespace Fanout.Ingest.Submission;

/// <summary>
/// Gives validated events their ids and hands them to the broker in one <see cref="IEventSubmitter.SubmitAsync"/>
/// call, in request order. An event with an idempotency key gets the id derived from (room, key), so a repeat
/// maps to the original event and the sequencer stores it once; any other event gets a fresh UUIDv7.
/// </summary>
public sealed class EventPublisher(IEventSubmitter submitter, TimeProvider time, IngestMetrics metrics, ILogger<EventPublisher> logger)
{
    /// <summary>The ids in request order once the broker confirmed every event; null when it could not (answer 503).</summary>
    public async Task<IReadOnlyList<Guid>?> PublishAsync(IReadOnlyList<EventDraft> drafts, string keyName, CancellationToken cancellationToken)
    {
        var publishedAt = AcceptTime.Now(time);
        var events = new SubmittedEvent[drafts.Count];
        var ids = new Guid[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            ids[i] = draft.IdempotencyKey is { } key ? EventIds.FromIdempotencyKey(draft.Room, key) : EventIds.New();
            events[i] = new SubmittedEvent(ids[i], draft.Room, draft.Type, draft.Data, publishedAt);
        }

        try
        {
            await submitter.SubmitAsync(events, cancellationToken);
        }
        catch (SubmissionUnavailableException ex)
        {
            metrics.Unavailable(events.Length);
            IngestLog.SubmissionUnavailable(logger, events.Length, string.Join(",", events.Select(e => e.Room).Distinct()), ex.Message);
            return null;
        }

        metrics.Accepted(events.Length);
        IngestLog.EventsAccepted(logger, events.Length, keyName);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var accepted in events)
            {
                IngestLog.EventAccepted(logger, accepted.Id, accepted.Room, accepted.Type);
            }
        }

        return ids;
    }
}
