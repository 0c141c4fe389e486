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

    /// <summary>
    /// The node closed the connection because its access token expired (close reason <c>token expired</c>); connecting
    /// again at once, with a fresh token from the provider, loses nothing.
    /// </summary>
    public static bool IsTokenExpiry(Exception? closeError) =>
        closeError is not null && closeError.Message.Contains("token expired", StringComparison.Ordinal);

    /// <summary>
    /// The node is shutting down and sent its clients away (close reason <c>server shutting down</c>); connecting at
    /// once to the next node loses nothing.
    /// </summary>
    public static bool IsNodeShutdown(Exception? closeError) =>
        closeError is not null && closeError.Message.Contains("server shutting down", StringComparison.Ordinal);

    [GeneratedRegex(@"afterSeq \S+ is beyond the room's last seq")]
    private static partial Regex BeyondLastSeq();
}
