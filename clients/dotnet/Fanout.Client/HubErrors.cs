using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Client;

/// <summary>
/// Reads the hub's error completions (docs/protocol.md, "Hub errors"): <c>HubException: &lt;code&gt;[ temporary]: &lt;reason&gt;</c>
/// with a stable numeric code; a failure on the server carries only SignalR's generic text.
/// </summary>
internal static partial class HubErrors
{
    /// <summary>The code of <c>afterSeq</c> beyond the room's last seq.</summary>
    public const int PositionBeyondRoom = 112;

    /// <summary>The hub error's code and whether it is temporary, or null when the error is not a hub error.</summary>
    public static (int Code, bool Temporary)? Read(HubException error)
    {
        var match = Coded().Match(error.Message);
        return match.Success ? (int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Success) : null;
    }

    /// <summary>The hub refused the call for good (a hub error that is not temporary); asking again the same way will not help.</summary>
    public static bool IsRefusal(HubException error) => Read(error) is { Temporary: false };

    /// <summary>The hub refused a <c>Subscribe</c> because its <c>afterSeq</c> is ahead of the room.</summary>
    public static bool IsBeyondLastSeq(HubException error) => Read(error) is { Code: PositionBeyondRoom };

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

    [GeneratedRegex(@"HubException: (\d{3})( temporary)?: ")]
    private static partial Regex Coded();
}
