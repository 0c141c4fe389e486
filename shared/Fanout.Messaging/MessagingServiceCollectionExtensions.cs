using Fanout.Contracts.Validation;
using Fanout.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fanout.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// The AMQP connection (<c>ConnectionStrings:rabbitmq</c>), topology options, the RabbitMQ readiness check
    /// and, for processes that accept events, the durable <see cref="IEventSubmitter"/>.
    /// </summary>
    public static IServiceCollection AddFanoutMessaging(this IServiceCollection services, IConfiguration configuration, string clientName)
    {
        var connectionString = ConnectionStrings.Require(configuration, ConnectionStrings.RabbitMq);
        services.AddValidatedOptions<TopologyOptions>(TopologyOptions.SectionName);
        services.AddValidatedOptions<SubmitterOptions>(SubmitterOptions.SectionName);
        services.AddSingleton(sp => new RabbitMqConnectionSource(
            connectionString, clientName, sp.GetRequiredService<ILogger<RabbitMqConnectionSource>>()));
        services.AddSingleton<PublisherChannelPool>();
        services.AddSingleton<IEventSubmitter, RabbitMqEventSubmitter>();
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }

    /// <summary>
    /// For processes that publish to or consume the partition queues (Ingest, realtime nodes, sequencers): refuse to start
    /// with another partition count than the cluster's (<see cref="PartitionCountGuard"/>). Registered before the
    /// process's other hosted services so that it runs first.
    /// </summary>
    public static IServiceCollection AddPartitionCountGuard(this IServiceCollection services)
    {
        services.AddHostedService<PartitionCountGuard>();
        return services;
    }

    /// <summary>The data limits (<c>Events:MaxDataBytes</c>, <c>Events:MaxDataDepth</c>) as the shared <see cref="EventDataRules"/>.</summary>
    public static IServiceCollection AddEventDataRules(this IServiceCollection services)
    {
        services.AddValidatedOptions<EventLimitsOptions>(EventLimitsOptions.SectionName);
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventLimitsOptions>>().Value;
            return new EventDataRules(limits.MaxDataBytes, limits.MaxDataDepth);
        });
        return services;
    }
}
