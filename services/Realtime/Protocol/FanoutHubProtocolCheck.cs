using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// Fails the start of the node if the <c>json</c> protocol clients get is not <see cref="FanoutHubProtocol"/>, as
/// happens when <c>AddSignalR()</c> runs again after <c>AddFanoutHubProtocol</c> and registers SignalR's own again.
/// </summary>
public sealed class FanoutHubProtocolCheck(IHubProtocolResolver protocols) : IValidateOptions<HubOptions>
{
    public ValidateOptionsResult Validate(string? name, HubOptions options) =>
        protocols.GetProtocol("json", null) is FanoutHubProtocol
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                "The SignalR 'json' hub protocol is not FanoutHubProtocol: call AddFanoutHubProtocol after every AddSignalR().");
}
