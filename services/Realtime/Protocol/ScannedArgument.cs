using System.Text.Json;

namespace Fanout.Realtime.Protocol;

/// <summary>
/// One element of an invocation's <c>arguments</c> array: where its JSON text is in the message payload (bytes),
/// its first token, and how deeply it nests (a scalar is 0, <c>[]</c> and <c>{}</c> are 1, <c>[[]]</c> is 2).
/// </summary>
public readonly record struct ScannedArgument(long Start, long Length, JsonTokenType FirstToken, int Depth);
