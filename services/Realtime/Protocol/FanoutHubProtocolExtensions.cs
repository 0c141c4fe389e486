using Fanout.Contracts.Validation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Protocol;

public static class FanoutHubProtocolExtensions
{
    /// <summary>
    /// Replaces SignalR's <c>json</c> protocol with <see cref="FanoutHubProtocol"/> (bad calls fail alone, the connection
    /// stays open), and sets <see cref="HubOptions.MaximumReceiveMessageSize"/> to
    /// <c>Realtime:HubProtocol:MaxMessageBytes</c> (default 4 × <see cref="EventDataRules.MaxBytes"/> + 16 KiB), checked
    /// at start. Call it after <c>AddSignalR()</c>; a later <c>AddSignalR()</c> fails the start (see
    /// <see cref="FanoutHubProtocolCheck"/>). Per-hub <c>AddHubOptions&lt;THub&gt;</c> that set a receive size win over it.
    /// </summary>
    public static ISignalRServerBuilder AddFanoutHubProtocol(this ISignalRServerBuilder builder, EventDataRules rules)
    {
        var services = builder.Services;
        var minimum = FanoutHubProtocolOptions.MinimumMaxMessageBytes(rules);
        services.AddOptions<FanoutHubProtocolOptions>()
            .BindConfiguration(FanoutHubProtocolOptions.SectionName)
            .Validate(
                o => o.MaxMessageBytes == 0 || (o.MaxMessageBytes >= minimum && o.MaxMessageBytes <= FanoutHubProtocolOptions.MaximumMaxMessageBytes),
                $"{FanoutHubProtocolOptions.SectionName}:{nameof(FanoutHubProtocolOptions.MaxMessageBytes)} must be 0 (the default: " +
                $"{FanoutHubProtocolOptions.DefaultMaxMessageBytes(rules)} bytes) or {minimum}-{FanoutHubProtocolOptions.MaximumMaxMessageBytes} bytes.")
            .ValidateOnStart();

        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHubProtocol) && services[i].ImplementationType == typeof(JsonHubProtocol))
            {
                services.RemoveAt(i);
            }
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHubProtocol, FanoutHubProtocol>(
            provider => new FanoutHubProtocol(provider.GetRequiredService<IOptions<JsonHubProtocolOptions>>(), rules)));

        services.AddOptions<HubOptions>()
            .PostConfigure<IOptions<FanoutHubProtocolOptions>>((hub, protocol) =>
                hub.MaximumReceiveMessageSize = protocol.Value.EffectiveMaxMessageBytes(rules))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HubOptions>, FanoutHubProtocolCheck>());
        return builder;
    }
}
