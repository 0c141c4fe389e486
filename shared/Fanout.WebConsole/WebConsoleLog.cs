using Microsoft.Extensions.Logging;

namespace Fanout.WebConsole;

internal static partial class WebConsoleLog
{
    [LoggerMessage(8001, LogLevel.Information, "Serving the web console at /console and the demo at /demo (hub URLs: {HubUrls})")]
    public static partial void Serving(ILogger logger, string hubUrls);

    [LoggerMessage(8002, LogLevel.Warning, "Development environment: POST /demo/token mints client tokens for rooms {RoomPattern} with the configured signing key, for anyone who can reach this service")]
    public static partial void DemoTokensOn(ILogger logger, string roomPattern);

    [LoggerMessage(8003, LogLevel.Warning, "The clients/js browser bundle was not built into Fanout.WebConsole (npm missing at build time): the demo page and the console's live tail over the hub do not work")]
    public static partial void NoClientBundle(ILogger logger);

    [LoggerMessage(8004, LogLevel.Information, "Minted a demo token for user {UserId}")]
    public static partial void DemoTokenIssued(ILogger logger, string userId);
}
