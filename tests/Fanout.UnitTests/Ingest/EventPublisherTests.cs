using System.Text.Json;
using Fanout.Contracts;
using Fanout.Contracts.Messages;
using Fanout.Ingest.Requests;
using Fanout.Ingest.Submission;
using Fanout.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.UnitTests.Ingest;

public sealed class EventPublisherTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    private static readonly JsonElement Data = JsonSerializer.SerializeToElement(new { a = 1 });

    private readonly RecordingSubmitter _submitter = new();

    private EventPublisher Publisher()
    {
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        return new EventPublisher(_submitter, new FixedTime(Now), new IngestMetrics(meters), NullLogger<EventPublisher>.Instance);
    }

    [Fact]
    public async Task AllEventsGoInOneSubmissionInRequestOrderWithTheirIds()
    {
        EventDraft[] drafts = [new("b", "t", Data, null), new("a", "t", Data, "key"), new("b", "u", Data, null)];

        var ids = await Publisher().PublishAsync(drafts, "test", CancellationToken.None);

        ids.ShouldNotBeNull();
        var call = _submitter.Calls.ShouldHaveSingleItem();
        call.Select(e => (e.Room, e.Type)).ShouldBe([("b", "t"), ("a", "t"), ("b", "u")]);
        call.Select(e => e.Id).ShouldBe(ids);
        call.ShouldAllBe(e => e.PublishedAt == Now);
        ids[1].ShouldBe(EventIds.FromIdempotencyKey("a", "key"));
        ids[0].Version.ShouldBe(7);
        ids[2].ShouldNotBe(ids[0]);
    }

    [Fact]
    public async Task AnUnavailableBrokerGivesNoIds()
    {
        _submitter.Fail = true;

        var ids = await Publisher().PublishAsync([new EventDraft("r", "t", Data, null)], "test", CancellationToken.None);

        ids.ShouldBeNull();
    }

    private sealed class RecordingSubmitter : IEventSubmitter
    {
        public List<IReadOnlyList<SubmittedEvent>> Calls { get; } = [];

        public bool Fail { get; set; }

        public Task SubmitAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
        {
            Calls.Add(events.ToList());
            return Fail ? Task.FromException(new SubmissionUnavailableException("down")) : Task.CompletedTask;
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
