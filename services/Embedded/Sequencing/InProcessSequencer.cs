using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Messaging;
using Fanout.Sequencer.Routing;
using Fanout.Sequencer.Tracing;
using Microsoft.Extensions.Options;

namespace Fanout.Embedded.Sequencing;

/// <summary>
/// The embedded mode's sequencer, and its <see cref="IEventSubmitter"/>: there is no broker, so an event is accepted
/// when it is stored. Requests queue here in arrival order; one loop takes whatever is waiting (up to
/// <see cref="InProcessSequencerOptions.MaxBatchEvents"/>), stores it in one SQLite transaction — one sync to disk for
/// every request in it (group commit) — with seqs assigned there, answers every request of the batch, then hands the
/// committed events to the router (<see cref="InProcessRoomEventRouter"/>: straight to this node's rooms).
/// <para>Guarantees: <see cref="SubmitAsync"/> returns only once its events are committed and synced; one loop is the
/// only writer, so every room's seqs follow arrival order with no gap; a failed commit stores nothing of the batch and
/// every request in it fails with <see cref="SubmissionUnavailableException"/> (503, nothing acknowledged that is not
/// stored). On stop, everything queued is committed and answered before the process ends.</para>
/// </summary>
public sealed partial class InProcessSequencer : BackgroundService, IEventSubmitter
{
    private readonly Channel<Submission> _queue = Channel.CreateUnbounded<Submission>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly ISequencedHistoryWriter _writer;
    private readonly IRoomEventRouter _router;
    private readonly ILogger<InProcessSequencer> _logger;
    private readonly int _maxBatchEvents;
    private readonly int _maxQueuedEvents;
    private long _queuedEvents;

    public InProcessSequencer(
        ISequencedHistoryWriter writer,
        IRoomEventRouter router,
        IMeterFactory meterFactory,
        IOptions<InProcessSequencerOptions> options,
        ILogger<InProcessSequencer> logger)
    {
        _writer = writer;
        _router = router;
        _logger = logger;
        _maxBatchEvents = options.Value.MaxBatchEvents;
        _maxQueuedEvents = options.Value.MaxQueuedEvents;
        Metrics = new InProcessSequencerMetrics(meterFactory, () => QueuedEvents);
    }

    private InProcessSequencerMetrics Metrics { get; }

    /// <summary>Events accepted and not yet committed.</summary>
    public long QueuedEvents => Interlocked.Read(ref _queuedEvents);

    public async Task SubmitAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        var before = Interlocked.Add(ref _queuedEvents, events.Count) - events.Count;
        if (before > 0 && before + events.Count > _maxQueuedEvents)
        {
            Interlocked.Add(ref _queuedEvents, -events.Count);
            Metrics.Refused(events.Count);
            throw new SubmissionUnavailableException($"{before} events are waiting for their commit (Sequencer:MaxQueuedEvents {_maxQueuedEvents})");
        }

        var submission = new Submission(events);
        if (!_queue.Writer.TryWrite(submission))
        {
            Interlocked.Add(ref _queuedEvents, -events.Count);
            throw new SubmissionUnavailableException("the process is stopping");
        }

        // Once queued it is committed whatever the caller does: a caller that gives up treats it as not accepted, and
        // a retry with the same ids (idempotency keys) finds it stored.
        await submission.Committed.Task.WaitAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The web server has stopped taking requests by now (it stops first): close the queue, commit what is in it.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Submission>();
        var events = new List<SubmittedEvent>();
        // Not stoppingToken: on stop the queue is completed and drained, so that every accepted event is stored.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            events.Clear();
            while (events.Count < _maxBatchEvents && _queue.Reader.TryRead(out var submission))
            {
                batch.Add(submission);
                events.AddRange(submission.Events);
            }

            await CommitAsync(batch, events);
        }

        LogDrained(_logger);
    }

    private async Task CommitAsync(List<Submission> batch, List<SubmittedEvent> events)
    {
        IReadOnlyList<RoomEvent> committed;
        var started = Stopwatch.GetTimestamp();
        try
        {
            committed = await _writer.AppendAsync(events, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogCommitFailed(_logger, ex, events.Count, batch.Count);
            Metrics.Refused(events.Count);
            var failure = new SubmissionUnavailableException($"the history database did not store the events: {ex.Message}", ex);
            foreach (var submission in batch)
            {
                submission.Committed.TrySetException(failure);
            }

            return;
        }
        finally
        {
            Interlocked.Add(ref _queuedEvents, -events.Count);
        }

        Metrics.Committed(committed.Count, Stopwatch.GetElapsedTime(started).TotalSeconds);
        LogCommitted(_logger, events.Count, batch.Count);
        foreach (var submission in batch)
        {
            submission.Committed.TrySetResult();
        }

        try
        {
            await _router.RouteAsync(committed, BatchTrace.Off, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Stored and answered: the rooms find what they missed from history (position check).
            LogDeliveryFailed(_logger, ex, committed.Count);
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Debug, Message = "Committed {Events} events of {Requests} requests")]
    private static partial void LogCommitted(ILogger logger, int events, int requests);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error,
        Message = "The history database did not store {Events} events of {Requests} requests; they are answered 503")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int events, int requests);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Error, Message = "Handing {Events} committed events to the rooms failed; they fill the gap from history")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, int events);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Sequencer stopped: every accepted event is stored")]
    private static partial void LogDrained(ILogger logger);

    private sealed class Submission(IReadOnlyList<SubmittedEvent> events)
    {
        public IReadOnlyList<SubmittedEvent> Events { get; } = events;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
