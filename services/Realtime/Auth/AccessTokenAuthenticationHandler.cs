using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>
/// Authenticates a request by the JWT in <c>Authorization: Bearer &lt;token&gt;</c> or, where a client cannot set
/// headers (browser WebSockets, server-sent events), in the <c>access_token</c> query parameter; the header wins when
/// both are present. A challenge answers 401 with <c>WWW-Authenticate: Bearer</c>, plus <c>error="invalid_token"</c>
/// and a short reason when a token was sent but refused. The ticket carries no dates, since nothing reads them and a
/// WebSocket request holds its ticket for as long as it lasts: <see cref="TokenExpiryWatch"/> closes a hub connection
/// when its token expires (SignalR's <c>CloseOnAuthenticationExpiration</c> would find no expiry).
/// </summary>
public sealed class AccessTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private string? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = AccessTokenRequest.ReadToken(Request);
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var validation = await validator.ValidateAsync(token).ConfigureAwait(false);
        if (validation.Principal is null)
        {
            _failure = validation.Failure ?? "the access token is not valid";
            AuthLog.TokenRefused(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _failure);
            return AuthenticateResult.Fail(_failure);
        }

        var ticket = new AuthenticationTicket(validation.Principal, Scheme.Name);
        return AuthenticateResult.Success(ticket);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AccessTokenRequest.Challenge(Response, _failure);
        return Task.CompletedTask;
    }
}
