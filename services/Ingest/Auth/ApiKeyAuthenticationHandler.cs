using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;api key&gt;</c> against <see cref="ApiKeyStore"/> and puts the matched
/// <see cref="ApiKey"/> on the request (<see cref="ApiKeyHttpContextExtensions.GetApiKey"/>) for the room checks and
/// the rate limiter. A challenge answers
/// 401 with <c>WWW-Authenticate: Bearer realm="fanout"</c> (plus <c>error="invalid_token"</c> when a key was sent
/// but is not valid) and a problem body saying what to send.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";

    private string _challengeDetail = "Send the API key as 'Authorization: Bearer <api key>'.";
    private bool _keyRejected;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.Authorization;
        if (values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var value = values.Count == 1 ? values[0] : null;
        if (value is null || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || value.Length == BearerPrefix.Length)
        {
            _challengeDetail = "The Authorization header must appear once, as 'Bearer <api key>'.";
            return Task.FromResult(AuthenticateResult.Fail("Malformed Authorization header"));
        }

        var key = keys.Find(value[BearerPrefix.Length..].Trim());
        if (key is null)
        {
            _keyRejected = true;
            _challengeDetail = "The API key is not valid. Check the key, or ask the operator for one.";
            IngestLog.ApiKeyRejected(Logger, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key"));
        }

        // The key as it was when the request arrived: a reload during the request does not change its rooms or limit.
        Context.SetApiKey(key);
        List<Claim> claims = [new(ClaimTypes.Name, key.Name), new(ApiKeyDefaults.KeyNameClaim, key.Name)];
        if (key.MayUseEveryRoom)
        {
            claims.Add(new Claim(ApiKeyDefaults.EveryRoomClaim, "true"));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        Response.Headers.WWWAuthenticate = _keyRejected
            ? $"Bearer realm=\"{ApiKeyDefaults.Realm}\", error=\"invalid_token\""
            : $"Bearer realm=\"{ApiKeyDefaults.Realm}\"";
        await TypedResults.Problem(_challengeDetail, statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context);
    }

    /// <summary>Only <see cref="ApiKeyPolicies.EveryRoom"/> forbids, so the answer says what that policy needs.</summary>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        TypedResults.Problem(
                "This API key may not use this route: it is allowed only some rooms, and this route needs a key allowed every room (room pattern '*').",
                statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(Context);
}
