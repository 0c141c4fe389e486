using Fanout.Messaging;
using Fanout.Testing.Servers;
using RabbitMQ.Client;

namespace Fanout.IntegrationTests.Messaging;

/// <summary>
/// The partition count is the same in every process of a cluster or a process refuses to start: checked against the
/// partition queues of a real broker (RabbitMQ itself accepts any <c>x-fanout-partitions</c> argument on a redeclare).
/// </summary>
public sealed class SubmissionTopologyTests : IAsyncLifetime
{
    private RabbitMqVhost _vhost = null!;
    private IConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _vhost = await RabbitMqVhost.CreateAsync("topology");
        _connection = await new ConnectionFactory { Uri = new Uri(_vhost.ConnectionString) }.CreateConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _vhost.DisposeAsync();
    }

    [Fact]
    public async Task TheFirstProcessCreatesThePartitionQueuesAndProcessesWithTheSameCountDeclareAgain()
    {
        await SubmissionTopology.DeclareAsync(_connection, 4, CancellationToken.None);
        await SubmissionTopology.DeclareAsync(_connection, 4, CancellationToken.None);

        var queues = await _vhost.GetQueueNamesAsync();
        Enumerable.Range(0, 4).Select(BrokerNames.SubmitQueue).ShouldBeSubsetOf(queues);
        queues.ShouldNotContain(BrokerNames.SubmitQueue(4));
    }

    [Theory]
    [InlineData(2, "more")]
    [InlineData(1, "more")]
    [InlineData(8, "fewer")]
    public async Task AProcessWithAnotherPartitionCountIsRefusedAndChangesNothing(int other, string moreOrFewer)
    {
        await SubmissionTopology.DeclareAsync(_connection, 4, CancellationToken.None);

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => SubmissionTopology.DeclareAsync(_connection, other, CancellationToken.None));

        refused.Message.ShouldContain($"Topology:Partitions = {other} does not match");
        refused.Message.ShouldContain(moreOrFewer);
        (await _vhost.GetQueueNamesAsync()).ShouldNotContain(BrokerNames.SubmitQueue(4), "no queue of the other count was created");
    }
}
