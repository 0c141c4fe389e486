using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Client;

/// <summary>
/// Reads the hub's error completions (docs/protocol.md, "Bad invocations"): a refusal carries <c>HubException: </c>
/// and what is wrong after it; a failure on the server carries only SignalR's generic text.
/// </summary>
internal static partial class HubErrors
{
    /// <summary>The hub refused the call (bad arguments or content); asking again the same way will not help.</summary>
    public static bool IsRefusal(HubException error) => error.Message.Contains("HubException: ", StringComparison.Ordinal);

    /// <summary>The hub refused a <c>Subscribe</c> because its <c>afterSeq</c> is ahead of the room.</summary>
    public static bool IsBeyondLastSeq(HubException error) => IsRefusal(error) && BeyondLastSeq().IsMatch(error.Message);

    [GeneratedRegex(@"afterSeq \S+ is beyond the room's last seq")]
    private static partial Regex BeyondLastSeq();
}
