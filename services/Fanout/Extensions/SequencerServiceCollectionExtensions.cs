using Fanout.History;
using Fanout.History.Retention;
using Fanout.Messaging;
using Fanout.Sequencer.Committing;
using Fanout.Sequencer.Intake;
using Fanout.Sequencer.Metrics;
using Fanout.Sequencer.NodeLifecycle;
using Fanout.Sequencer.Routing;
using Fanout.ServiceDefaults;
using Fanout.ServiceDefaults.Metrics;
using MassTransit;

namespace Fanout.Sequencer.Extensions;

public static class SequencerServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddSequencerServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddFanoutMessaging(builder.Configuration, $"fanout-sequencer {Environment.MachineName} {Environment.ProcessId}");
        services.AddPartitionCountGuard();
        services.AddFanoutHistory(builder.Configuration);
        services.AddValidatedOptions<SequencerOptions>(SequencerOptions.SectionName);
        services.AddSingleton<SequencerInbox>();
        services.AddSingleton<PartitionBacklog>();
        services.AddHostedService(sp => sp.GetRequiredService<PartitionBacklog>());
        services.AddMetricsSource<SequencerMetrics>();
        services.AddSingleton<DeadLetterQueue>();
        services.AddSingleton<IRoomEventRouter, RabbitMqRoomEventRouter>();
        services.AddFanoutControlPlane(builder.Configuration, bus => bus.AddConsumer<NodeDownConsumer, NodeDownConsumerDefinition>());

        // Registered in this order so that on stop the committer finishes its batch (and acknowledges it)
        // before the intake closes the channels.
        services.AddHostedService<PartitionIntakeService>();
        services.AddHostedService<BatchCommitter>();
        services.AddHistoryRetention();
        return builder;
    }
}
