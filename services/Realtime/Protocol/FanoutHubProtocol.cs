using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Fanout.Contracts.Validation;
using Fanout.Realtime.Hubs;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// SignalR's <c>json</c> hub protocol, except that a bad call never closes the connection. Invocations are parsed here:
/// <see cref="HubMessageScanner"/> reads the message without any depth limit that could throw, then
/// <see cref="InvocationArgumentBinder"/> binds each argument (nesting up to <see cref="EventDataRules.MaxDepth"/>,
/// the same serializer options as <see cref="JsonHubProtocol"/>). A call whose arguments do not fit becomes an
/// <see cref="InvocationBindingFailureMessage"/> carrying a <see cref="HubException"/>; SignalR always passes a
/// <see cref="HubException"/>'s message to the client (detailed errors stay off), so the caller gets
/// <c>Failed to invoke 'Publish' due to an error on the server. HubException: Publish: data nests deeper than 64 levels</c>
/// as the completion of that call and the connection carries on. Every other message, and all writing, is
/// <see cref="JsonHubProtocol"/>'s. Still fatal, as in SignalR: JSON that does not parse, an envelope without
/// <c>target</c> or with a property of the wrong type, and a message over <c>MaximumReceiveMessageSize</c>.
/// </summary>
public sealed class FanoutHubProtocol(IOptions<JsonHubProtocolOptions> options, EventDataRules rules) : IHubProtocol
{
    private const byte RecordSeparator = 0x1e;

    private readonly JsonHubProtocol _inner = new(options);
    private readonly InvocationArgumentBinder _binder = new(options.Value.PayloadSerializerOptions, rules);

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (input.PositionOf(RecordSeparator) is not { } separator)
        {
            message = null;
            return false;
        }

        var payload = input.Slice(0, separator);
        var scanned = HubMessageScanner.Scan(payload);
        if (!scanned.IsInvocation)
        {
            var whole = input;
            if (_inner.TryParseMessage(ref input, binder, out message))
            {
                return true;
            }

            // The record is complete, yet the JSON protocol made no message of it: a message type this server does not
            // know (it skips those without consuming them). Skip it as a ping, or the connection would wait forever for
            // bytes that can never make it parse.
            input = whole.Slice(whole.GetPosition(1, separator));
            message = PingMessage.Instance;
            return true;
        }

        message = BindInvocation(payload, scanned, binder);
        input = input.Slice(input.GetPosition(1, separator));
        return true;
    }

    private HubMessage BindInvocation(ReadOnlySequence<byte> payload, ScannedMessage scanned, IInvocationBinder binder)
    {
        var streaming = scanned.Type == HubMessageScanner.StreamInvocationMessageType;
        if (string.IsNullOrEmpty(scanned.Target))
        {
            throw new InvalidDataException("Missing required property 'target'.");
        }

        if (streaming && string.IsNullOrEmpty(scanned.InvocationId))
        {
            throw new InvalidDataException("Missing required property 'invocationId'.");
        }

        if (!scanned.HasArguments)
        {
            throw new InvalidDataException("Missing required property 'arguments'.");
        }

        var target = scanned.Target;
        IReadOnlyList<Type> types;
        try
        {
            types = binder.GetParameterTypes(target);
        }
        catch (HubException)
        {
            // An unknown method (SignalR's binder says "Method does not exist.").
            var unknown = HubErrors.Create(HubErrors.BadRequest, $"{target}: no such hub method");
            return new InvocationBindingFailureMessage(scanned.InvocationId, target, ExceptionDispatchInfo.Capture(unknown));
        }

        var parameters = HubMethodParameters.Describe(binder, target, types);
        var arguments = _binder.Bind(payload, scanned, target, types, parameters, out var error);
        if (arguments is null)
        {
            var failure = HubErrors.Create(HubErrors.BadRequest, error ?? $"{target}: the arguments do not fit the method");
            return new InvocationBindingFailureMessage(scanned.InvocationId, target, ExceptionDispatchInfo.Capture(failure));
        }

        HubMethodInvocationMessage message = streaming
            ? new StreamInvocationMessage(scanned.InvocationId!, target, arguments, scanned.StreamIds)
            : new InvocationMessage(scanned.InvocationId, target, arguments, scanned.StreamIds);
        if (scanned.Headers is not null)
        {
            message.Headers = scanned.Headers;
        }

        return message;
    }
}
