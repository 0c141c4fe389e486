namespace Fanout.Realtime.Protocol;

/// <summary>
/// What <see cref="HubMessageScanner"/> read from one hub message: the envelope of an invocation and the extent of
/// each argument, without binding any argument to a type.
/// </summary>
public sealed class ScannedMessage
{
    public int? Type { get; init; }

    public string? InvocationId { get; init; }

    public string? Target { get; init; }

    /// <summary>The message has an <c>arguments</c> property (an array or not).</summary>
    public bool HasArguments { get; init; }

    /// <summary>The <c>arguments</c> property is there but is not an array.</summary>
    public bool ArgumentsNotAnArray { get; init; }

    public IReadOnlyList<ScannedArgument> Arguments { get; init; } = [];

    public string[]? StreamIds { get; init; }

    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>An Invocation (1) or StreamInvocation (4): a call of a hub method.</summary>
    public bool IsInvocation => Type is HubMessageScanner.InvocationMessageType or HubMessageScanner.StreamInvocationMessageType;
}
