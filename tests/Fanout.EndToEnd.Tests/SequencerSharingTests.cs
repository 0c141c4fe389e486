using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests;

[Collection(SharedStackCollection.Name)]
public sealed class SequencerSharingTests(SharedStackFixture fixture)
{
    [Fact]
    public async Task TwoSequencersStartedTogetherEachActivelyConsumeHalfThePartitions()
    {
        IReadOnlyDictionary<string, string> active = new Dictionary<string, string>();
        await Eventually.HoldsAsync(
            async () =>
            {
                active = await fixture.Stack.Vhost.GetActiveConsumerConnectionsAsync(BrokerNames.SubmitQueue(0)[..^1]);
                return active.Count == 8;
            },
            "every partition queue has an active consumer");

        var byConnection = active.GroupBy(a => a.Value).ToDictionary(g => g.Key, g => g.Select(a => a.Key).Order().ToList());
        byConnection.Count.ShouldBe(2, $"active consumers by connection: {string.Join("; ", byConnection.Select(c => $"{c.Key}: {string.Join(",", c.Value)}"))}");
        byConnection.Values.ShouldAllBe(queues => queues.Count == 4);
    }
}
