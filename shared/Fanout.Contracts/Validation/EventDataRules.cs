namespace Fanout.Contracts.Validation;

/// <summary>
/// Limits on an event's <c>data</c>: any JSON value whose compact UTF-8 serialization is at most
/// <see cref="MaxBytes"/> bytes and which nests at most <see cref="MaxDepth"/> levels
/// (each object or array adds one level; a scalar has depth 0). Strings must be valid UTF-8 / UTF-16.
/// </summary>
public sealed record EventDataRules(int MaxBytes = EventDataRules.DefaultMaxBytes, int MaxDepth = EventDataRules.DefaultMaxDepth)
{
    public const int DefaultMaxBytes = 65_536;
    public const int DefaultMaxDepth = 64;

    public static EventDataRules Default { get; } = new();
}
