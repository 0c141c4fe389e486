using System.Text.RegularExpressions;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Memory;
using Fanout.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.UnitTests.Realtime;

public sealed partial class ConnectionOutboxTests
{
    // Each message is about 60 bytes of JSON; the transport pauses the writer past 150 unread bytes.
    private const int PauseBytes = 150;

    [Fact]
    public async Task MessagesQueuedBehindAWaitingWriteGoOutInOrderOnceTheClientReads()
    {
        var connection = PipeHubConnection.Create("c1", pauseWriterBytes: PauseBytes);
        var outbox = Outbox(connection);
        var received = new List<int>();

        for (var i = 1; i <= 10; i++)
        {
            _ = outbox.Enqueue(Message(i), awaitWritten: false);
        }

        await Eventually.HoldsAsync(() =>
        {
            received.AddRange(Numbers(connection.ReadSent()));
            return received.Count == 10;
        }, "every message written");
        received.ShouldBe(Enumerable.Range(1, 10));
        outbox.IsSlow.ShouldBeFalse();
    }

    [Fact]
    public async Task AfterABacklogDrainsTheNextMessageIsWrittenAtOnce()
    {
        var connection = PipeHubConnection.Create("c1", pauseWriterBytes: PauseBytes);
        var outbox = Outbox(connection);
        var backlog = Enumerable.Range(1, 5).Select(i => outbox.Enqueue(Message(i), awaitWritten: true)).ToList();
        var received = new List<int>();
        await Eventually.HoldsAsync(() =>
        {
            // The last write can complete after this read: keep reading until the client has all five.
            received.AddRange(Numbers(connection.ReadSent()));
            return backlog.All(written => written.IsCompleted) && received.Count == 5;
        }, "the backlog written and read");
        received.ShouldBe([1, 2, 3, 4, 5]);

        var next = outbox.Enqueue(Message(6), awaitWritten: true);

        await next.WaitAsync(Eventually.DefaultTimeout);
        Numbers(connection.ReadSent()).ShouldBe([6]);
    }

    [Fact]
    public async Task AConnectionWhoseBacklogPassesTheBoundIsClosedAsSlow()
    {
        var connection = PipeHubConnection.Create("c1", pauseWriterBytes: PauseBytes);
        var outbox = Outbox(connection, new SlowConsumerOptions { MaxBufferedMessages = 16, CloseTimeoutMs = 0 });

        for (var i = 1; i <= 40; i++)
        {
            _ = outbox.Enqueue(Message(i), awaitWritten: false);
        }

        outbox.IsSlow.ShouldBeTrue();
        await Eventually.HoldsAsync(() => connection.ConnectionAborted.IsCancellationRequested, "the slow connection aborted");
    }

    [Fact]
    public async Task TheNodesBudgetForAllOutboxesClosesTheConnectionWhoseBacklogWouldPassItAndHoldsNoMore()
    {
        // Two stalled clients share a node budget of 600 bytes: each alone is far below its own bounds.
        var budget = new OutboxBudget(Microsoft.Extensions.Options.Options.Create(new MemoryBudgetOptions { OutboxMaxBytes = 600 }));
        var first = PipeHubConnection.Create("c1", pauseWriterBytes: PauseBytes);
        var second = PipeHubConnection.Create("c2", pauseWriterBytes: PauseBytes);
        var options = new SlowConsumerOptions { CloseTimeoutMs = 0 };
        var (a, b) = (Outbox(first, options, budget), Outbox(second, options, budget));

        for (var i = 1; i <= 40; i++)
        {
            _ = a.Enqueue(Message(i), awaitWritten: false);
            _ = b.Enqueue(Message(i), awaitWritten: false);
            budget.Held.ShouldBeLessThanOrEqualTo(600 + 2 * 80, "a lone message per connection may pass it, a backlog never");
        }

        (a.IsSlow || b.IsSlow).ShouldBeTrue();
        a.Complete();
        b.Complete();
        await Eventually.HoldsAsync(() => budget.Held == 0, "every byte given back once the outboxes are gone");
    }

    [Fact]
    public async Task MessagesToACompletedOutboxAreDropped()
    {
        var connection = PipeHubConnection.Create("c1");
        var outbox = Outbox(connection);
        outbox.Complete();

        await outbox.Enqueue(Message(1), awaitWritten: true).WaitAsync(Eventually.DefaultTimeout);

        connection.ReadSent().ShouldBeEmpty();
    }

    private static ConnectionOutbox Outbox(HubConnectionContext connection, SlowConsumerOptions? options = null, OutboxBudget? budget = null) =>
        new(connection, options ?? new SlowConsumerOptions(),
            budget ?? new OutboxBudget(Microsoft.Extensions.Options.Options.Create(new MemoryBudgetOptions())), NullLogger.Instance);

    private static SerializedHubMessage Message(int number) => new(new InvocationMessage("event", [number]));

    private static IEnumerable<int> Numbers(string sent) =>
        ArgumentPattern().Matches(sent).Select(match => int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("\"arguments\":\\[(\\d+)\\]")]
    private static partial Regex ArgumentPattern();
}
