using Fanout.Messaging;
using Fanout.Testing.Servers;
using RabbitMQ.Client;

namespace Fanout.IntegrationTests.Messaging;

/// <summary>
/// The partition count is the same in every process of a cluster or a process refuses to start: checked against the
/// partition queues of a real broker (RabbitMQ itself accepts any <c>x-fanout-partitions</c> argument on a redeclare)
/// and claimed atomically by the count queue's <c>x-max-length</c>, which RabbitMQ does compare.
/// </summary>
public sealed class SubmissionTopologyTests : IAsyncLifetime
{
    private RabbitMqVhost _vhost = null!;
    private IConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _vhost = await RabbitMqVhost.CreateAsync("topology");
        _connection = await _vhost.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _vhost.DisposeAsync();
    }

    [Fact]
    public async Task TheFirstProcessCreatesThePartitionQueuesAndProcessesWithTheSameCountDeclareAgain()
    {
        await SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 4 }, CancellationToken.None);
        await SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 4 }, CancellationToken.None);

        var queues = await _vhost.GetQueueNamesAsync();
        Enumerable.Range(0, 4).Select(BrokerNames.SubmitQueue).ShouldBeSubsetOf(queues);
        queues.ShouldNotContain(BrokerNames.SubmitQueue(4));
    }

    [Fact]
    public async Task ThePartitionQueuesAreQuorumQueuesWithOneActiveConsumerAndABoundedBacklog()
    {
        await SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 2, MaxQueuedMessagesPerPartition = 1234 }, CancellationToken.None);

        var queues = (await _vhost.GetQueuesAsync()).Where(q => q.Name is "fanout.submit.0" or "fanout.submit.1").ToList();
        queues.Count.ShouldBe(2);
        foreach (var queue in queues)
        {
            queue.Type.ShouldBe("quorum");
            queue.Durable.ShouldBeTrue();
            queue.Arguments["x-single-active-consumer"].ShouldBe("True", StringCompareShould.IgnoreCase);
            queue.Arguments["x-max-length"].ShouldBe("1234");
            queue.Arguments["x-overflow"].ShouldBe("reject-publish");
        }
    }

    [Fact]
    public async Task AClassicPartitionQueueOfAnEarlierVersionIsRefusedWithWhatToDo()
    {
        // What Fanout declared before quorum partition queues.
        await using (var channel = await _connection.CreateChannelAsync())
        {
            foreach (var partition in Enumerable.Range(0, 2))
            {
                await channel.QueueDeclareAsync(BrokerNames.SubmitQueue(partition), durable: true, exclusive: false, autoDelete: false,
                    arguments: new Dictionary<string, object?> { ["x-single-active-consumer"] = true, ["x-queue-type"] = "classic" });
            }
        }

        var refused = await Should.ThrowAsync<PartitionQueueMismatchException>(
            () => SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 2 }, CancellationToken.None));

        refused.Message.ShouldContain("fanout.submit.1");
        refused.Message.ShouldContain("docs/operations.md");
        (await _vhost.GetQueuesAsync()).Where(q => q.Name.StartsWith("fanout.submit.", StringComparison.Ordinal) && char.IsDigit(q.Name[^1]))
            .ShouldAllBe(q => q.Type == "classic", "nothing was changed: the classic queues and what they hold are left as they are");
    }

    [Theory]
    [InlineData(2, "more")]
    [InlineData(1, "more")]
    [InlineData(8, "fewer")]
    public async Task AProcessWithAnotherPartitionCountIsRefusedAndChangesNothing(int other, string moreOrFewer)
    {
        await SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 4 }, CancellationToken.None);

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = other }, CancellationToken.None));

        refused.Message.ShouldContain($"Topology:Partitions = {other} does not match");
        refused.Message.ShouldContain(moreOrFewer);
        (await _vhost.GetQueueNamesAsync()).ShouldNotContain(BrokerNames.SubmitQueue(4), "no queue of the other count was created");
    }

    [Fact]
    public async Task AProcessThatPassedTheQueueCheckBeforeAnotherCreatedItsQueuesIsRefusedByTheClaimedCount()
    {
        // The moment of the race: one process has claimed 4 but not declared its partition queues yet.
        await SubmissionTopology.CheckPartitionCountAsync(_connection, 4, CancellationToken.None);
        (await _vhost.GetQueueNamesAsync()).ShouldNotContain(BrokerNames.SubmitQueue(0));

        var refused = await Should.ThrowAsync<PartitionCountMismatchException>(() => SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 2 }, CancellationToken.None));

        refused.Message.ShouldContain("Topology:Partitions = 2 does not match");
        refused.Message.ShouldContain(BrokerNames.PartitionCountQueue);
        (await _vhost.GetQueueNamesAsync()).ShouldNotContain(BrokerNames.SubmitQueue(0), "the refused process declared no partition queue");
        await SubmissionTopology.DeclareAsync(_connection, new TopologyOptions { Partitions = 4 }, CancellationToken.None);
    }

    [Fact]
    public async Task APeerWithTheSameCountCheckingAtAnyMomentOfTheDeclarationPasses()
    {
        // Every state another process can leave mid-declaration is a prefix of the declaration order on the broker;
        // each is recreated here, and a peer with the same count checking then must pass (with ascending order, the
        // prefix "0 only" looked like a cluster with fewer partitions and stopped the peer).
        const int partitions = 4;
        var order = SubmissionTopology.DeclarationOrder(partitions).ToArray();
        order.Order().ShouldBe(Enumerable.Range(0, partitions), "every partition queue is declared once");
        await using var channel = await _connection.CreateChannelAsync();
        var arguments = new Dictionary<string, object?> { ["x-single-active-consumer"] = true, ["x-queue-type"] = "classic" };
        foreach (var partition in order)
        {
            await channel.QueueDeclareAsync(BrokerNames.SubmitQueue(partition), durable: true, exclusive: false, autoDelete: false, arguments: arguments);

            await Should.NotThrowAsync(
                () => SubmissionTopology.CheckPartitionCountAsync(_connection, partitions, CancellationToken.None),
                $"a peer checking when queues {string.Join(", ", order.TakeWhile(p => p != partition).Append(partition))} exist");
        }
    }

    [Fact]
    public async Task ProcessesWithTheSameCountStartingTogetherOnAnEmptyBrokerAllPass()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var vhost = await RabbitMqVhost.CreateAsync($"topology-same-{round}");
            var connections = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => vhost.ConnectAsync()));
            try
            {
                // A process checking while another is still declaring its queues must not see "fewer".
                await Task.WhenAll(connections.Select(connection => SubmissionTopology.DeclareAsync(connection, new TopologyOptions { Partitions = 8 }, CancellationToken.None)));
            }
            finally
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }

            Enumerable.Range(0, 8).Select(BrokerNames.SubmitQueue).ShouldBeSubsetOf(await vhost.GetQueueNamesAsync());
        }
    }

    [Fact]
    public async Task TwoProcessesWithDifferentCountsStartingTogetherOnAnEmptyBrokerCannotBothPass()
    {
        for (var round = 0; round < 5; round++)
        {
            await using var vhost = await RabbitMqVhost.CreateAsync($"topology-race-{round}");
            await using var first = await vhost.ConnectAsync();
            await using var second = await vhost.ConnectAsync();

            var outcomes = await Task.WhenAll(
                Outcome(SubmissionTopology.DeclareAsync(first, new TopologyOptions { Partitions = 4 }, CancellationToken.None)),
                Outcome(SubmissionTopology.DeclareAsync(second, new TopologyOptions { Partitions = 2 }, CancellationToken.None)));

            outcomes.Count(refused => refused).ShouldBe(1, $"round {round}: exactly one of the two counts is refused");
        }

        static async Task<bool> Outcome(Task declare)
        {
            try
            {
                await declare;
                return false;
            }
            catch (PartitionCountMismatchException)
            {
                return true;
            }
        }
    }
}
