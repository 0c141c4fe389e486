using Fanout.Contracts.Messages;
using Fanout.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Fanout.Messaging;

/// <summary>
/// The control plane: MassTransit over the same RabbitMQ (<c>ConnectionStrings:rabbitmq</c>) for cluster notices such as
/// <see cref="NodeDown"/>. Unlike the event data plane, these messages need no broker order, so MassTransit's
/// consumers, retries and endpoint conventions fit them; its bus readiness joins <c>/health/ready</c>.
/// </summary>
public static class ControlPlaneServiceCollectionExtensions
{
    public static IServiceCollection AddFanoutControlPlane(
        this IServiceCollection services, IConfiguration configuration, Action<IBusRegistrationConfigurator>? addConsumers = null)
    {
        var connectionString = ConnectionStrings.Require(configuration, ConnectionStrings.RabbitMq);
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("fanout", includeNamespace: false));
            addConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(connectionString));
                rabbit.Message<NodeDown>(message => message.SetEntityName(BrokerNames.NodeDownExchange));
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
