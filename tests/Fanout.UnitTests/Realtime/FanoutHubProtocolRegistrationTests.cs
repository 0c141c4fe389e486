using Fanout.Contracts.Validation;
using Fanout.Realtime.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class FanoutHubProtocolRegistrationTests
{
    [Fact]
    public void JsonIsServedByFanoutHubProtocolWithTheDefaultReceiveCap()
    {
        using var provider = Build(signalR => signalR.AddFanoutHubProtocol(EventDataRules.Default));

        provider.GetRequiredService<IHubProtocolResolver>().GetProtocol("json", null).ShouldBeOfType<FanoutHubProtocol>();
        var options = provider.GetRequiredService<IOptions<HubOptions>>().Value;
        options.MaximumReceiveMessageSize.ShouldBe(4 * 65_536 + 16 * 1024);
        options.SupportedProtocols.ShouldBe(["json"]);
    }

    [Fact]
    public void ReceiveCapFollowsMaxMessageBytes()
    {
        using var provider = Build(signalR => signalR.AddFanoutHubProtocol(EventDataRules.Default), ("Realtime:HubProtocol:MaxMessageBytes", "100000"));

        provider.GetRequiredService<IOptions<HubOptions>>().Value.MaximumReceiveMessageSize.ShouldBe(100_000);
    }

    [Fact]
    public void MaxMessageBytesTooSmallForTheDataLimitFailsNamingTheKey()
    {
        using var provider = Build(signalR => signalR.AddFanoutHubProtocol(EventDataRules.Default), ("Realtime:HubProtocol:MaxMessageBytes", "1000"));

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<FanoutHubProtocolOptions>>().Value)
            .Message.ShouldContain("Realtime:HubProtocol:MaxMessageBytes must be 0");
    }

    [Fact]
    public void AddSignalRAgainAfterwardsFailsTheStartInsteadOfSilentlyRestoringTheDefaultProtocol()
    {
        using var provider = Build(signalR =>
        {
            signalR.AddFanoutHubProtocol(EventDataRules.Default);
            signalR.Services.AddSignalR();
        });

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HubOptions>>().Value)
            .Message.ShouldContain("call AddFanoutHubProtocol after every AddSignalR()");
    }

    private static ServiceProvider Build(Action<ISignalRServerBuilder> configure, params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());
        services.AddLogging();
        configure(services.AddSignalR());
        return services.BuildServiceProvider();
    }
}
