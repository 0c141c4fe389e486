namespace Fanout.Realtime.Auth;

/// <summary>
/// Authenticates every request of the client hub (negotiate, WebSocket, server-sent events, long polling) by its access
/// token (<see cref="AccessTokenRequest"/>, <see cref="AccessTokenValidator"/>): a valid one becomes the request's user,
/// anything else is answered 401 and goes no further. It stands in for the authentication and authorization
/// middleware on the hub's path because a WebSocket request lives as long as its connection and keeps whatever those
/// leave on it (the scheme handlers, results, tickets, properties, the authorization service and its handler list:
/// about 2.3 KiB per connection, measured in docs/benchmarks.md); this keeps only the principal. Same answers as the
/// scheme's handler: the same token sources, 401 with the same <c>WWW-Authenticate</c>, the same log line on a refusal.
/// </summary>
public sealed class HubRequestAuthentication(RequestDelegate next, AccessTokenValidator validator, ILogger<HubRequestAuthentication> logger)
{
    /// <summary>
    /// Not an async method on the way through: a request that goes on to the hub would keep this method's state for as
    /// long as its connection lasts. Only a validation that has to wait (the identity provider's keys) awaits.
    /// </summary>
    public Task InvokeAsync(HttpContext context)
    {
        var token = AccessTokenRequest.ReadToken(context.Request);
        if (token is null)
        {
            AccessTokenRequest.Challenge(context.Response, failure: null);
            return Task.CompletedTask;
        }

        var validation = validator.ValidateAsync(token);
        return validation.IsCompletedSuccessfully ? Continue(context, validation.Result) : ContinueAfterAsync(context, validation);
    }

    private async Task ContinueAfterAsync(HttpContext context, ValueTask<AccessTokenValidation> validation) =>
        await Continue(context, await validation.ConfigureAwait(false)).ConfigureAwait(false);

    private Task Continue(HttpContext context, AccessTokenValidation validation)
    {
        if (validation.Principal is null)
        {
            var failure = validation.Failure ?? "the access token is not valid";
            AuthLog.TokenRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", failure);
            AccessTokenRequest.Challenge(context.Response, failure);
            return Task.CompletedTask;
        }

        context.User = validation.Principal;
        return next(context);
    }
}
