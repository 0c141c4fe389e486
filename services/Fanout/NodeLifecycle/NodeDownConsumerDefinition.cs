using MassTransit;

namespace Fanout.Sequencer.NodeLifecycle;

/// <summary>
/// One queue (<c>fanout-node-down</c>) shared by every fanout instance: each notice is handled by one of them.
/// </summary>
public sealed class NodeDownConsumerDefinition : ConsumerDefinition<NodeDownConsumer>
{
    public NodeDownConsumerDefinition() => ConcurrentMessageLimit = 4;
}
