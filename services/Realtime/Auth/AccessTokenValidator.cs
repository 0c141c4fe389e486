using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Realtime.Auth;

/// <summary>
/// Checks a client access token: a compact JWS signed with HS256 and the shared key, or RS256 / ES256 and a configured
/// public key (<see cref="JwtSigningKeys"/>) or a key of the identity provider (<see cref="JwtIssuerKeys"/>; any other <c>alg</c>, <c>none</c> included, is refused, and a key only
/// verifies its own algorithm), with <c>exp</c> required and checked with the configured skew (<c>nbf</c> too
/// when present), <c>iss</c> and <c>aud</c> when configured, and a non-empty <c>sub</c>, the user id. Encrypted tokens
/// (JWE) and tokens over <see cref="RealtimeAuthenticationDefaults.MaxTokenLength"/> characters are refused unparsed.
/// The principal of a valid token holds only the claims the node reads (<see cref="TokenClaims"/>).
/// </summary>
public sealed class AccessTokenValidator : IDisposable
{
    private static readonly string[] IssuerKeyAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly TokenValidationParameters _parameters;
    private readonly JwtSigningKeys _keys;
    private readonly JwtIssuerKeys? _issuerKeys;
    private readonly bool _issuerFromDiscovery;
    private readonly IReadOnlyList<string> _algorithms;
    private readonly string _algorithmRule;
    private readonly TokenClaims _claims;

    public AccessTokenValidator(IOptions<JwtOptions> options, TokenClaims claims)
    {
        _claims = claims;
        var settings = options.Value;
        var issuer = string.IsNullOrWhiteSpace(settings.Issuer) ? null : settings.Issuer;
        var audience = string.IsNullOrWhiteSpace(settings.Audience) ? null : settings.Audience;
        _keys = new JwtSigningKeys(settings);
        _issuerKeys = settings.HasIssuerKeys ? new JwtIssuerKeys(settings) : null;
        // The discovered issuer is required only where no other keys could have signed a token of another issuer.
        _issuerFromDiscovery = issuer is null && _issuerKeys is not null && _keys.Algorithms.Count == 0;
        _algorithms = _issuerKeys is null
            ? _keys.Algorithms
            : [.. _keys.Algorithms.Concat(IssuerKeyAlgorithms).Distinct().Order(StringComparer.Ordinal)];
        _algorithmRule = $"the access token must be signed with {string.Join(" or ", _algorithms)}";
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKeyResolver = (_, securityToken, kid, _) =>
                _keys.For((securityToken as JsonWebToken)?.Alg, kid),
            ValidAlgorithms = _algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(settings.ClockSkewSeconds),
            ValidateIssuer = issuer is not null,
            ValidIssuer = issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            NameClaimType = RealtimeAuthenticationDefaults.SubjectClaim,
            AuthenticationType = RealtimeAuthenticationDefaults.Scheme,
        };
    }

    /// <summary>Validates <paramref name="token"/>; the failure reason never echoes the token's content.</summary>
    public async ValueTask<AccessTokenValidation> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return AccessTokenValidation.Fail("no access token was sent");
        }

        if (token.Length > RealtimeAuthenticationDefaults.MaxTokenLength)
        {
            return AccessTokenValidation.Fail($"the access token is longer than {RealtimeAuthenticationDefaults.MaxTokenLength} characters");
        }

        if (token.Count(c => c == '.') != 2)
        {
            return AccessTokenValidation.Fail("the access token is not a signed JWT (header.payload.signature)");
        }

        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            // IdentityModel 8 refuses to parse a payload whose registered claims have the wrong JSON type; a sub that is
            // not a string is still "no usable sub" to the client.
            return AccessTokenValidation.Fail(HasNonStringSubject(token)
                ? "the access token has no sub claim (the user id)"
                : "the access token is not a well-formed JWT");
        }

        if (!_algorithms.Contains(parsed.Alg, StringComparer.Ordinal))
        {
            return AccessTokenValidation.Fail(_algorithmRule);
        }

        if (!parsed.TryGetClaim(JwtRegisteredClaimNames.Exp, out _))
        {
            return AccessTokenValidation.Fail("the access token has no exp claim");
        }

        var parameters = _parameters;
        if (_issuerKeys is not null)
        {
            (parameters, var failure) = await WithIssuerKeysAsync(_issuerKeys, parsed).ConfigureAwait(false);
            if (failure is not null)
            {
                return AccessTokenValidation.Fail(failure);
            }
        }

        var result = await _handler.ValidateTokenAsync(parsed, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return AccessTokenValidation.Fail(Describe(result.Exception));
        }

        var identity = result.ClaimsIdentity;
        var subjects = identity.FindAll(RealtimeAuthenticationDefaults.SubjectClaim).ToList();
        if (subjects.Count != 1 || string.IsNullOrWhiteSpace(subjects[0].Value))
        {
            return AccessTokenValidation.Fail("the access token has no sub claim (the user id)");
        }

        var expires = new DateTimeOffset(DateTime.SpecifyKind(result.SecurityToken.ValidTo, DateTimeKind.Utc));
        return AccessTokenValidation.Success(_claims.Keep(identity), expires);
    }

    public void Dispose() => _issuerKeys?.Dispose();

    /// <summary>
    /// The parameters for one token with the identity provider's keys of its <c>alg</c> and <c>kid</c> beside the
    /// configured ones. A <c>kid</c> that no cached key has asks for the keys to be fetched again (a rotation); the
    /// token itself is checked with the keys at hand.
    /// </summary>
    private async Task<(TokenValidationParameters Parameters, string? Failure)> WithIssuerKeysAsync(JwtIssuerKeys issuerKeys, JsonWebToken token)
    {
        var configured = _keys.For(token.Alg, token.Kid).ToList();
        IssuerKeySet discovered;
        try
        {
            discovered = await issuerKeys.GetAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or TaskCanceledException or ArgumentException)
        {
            if (configured.Count == 0)
            {
                return (_parameters, "the token issuer's signing keys could not be fetched");
            }

            discovered = IssuerKeySet.Empty;
        }

        if (!string.IsNullOrEmpty(token.Kid) && configured.Count == 0 && !discovered.HasKeyId(token.Kid))
        {
            issuerKeys.RequestRefresh();
        }

        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeyResolver = null;
        parameters.IssuerSigningKeys = [.. configured, .. discovered.For(token.Alg, token.Kid)];
        if (_issuerFromDiscovery && discovered.Issuer is not null)
        {
            parameters.ValidateIssuer = true;
            parameters.ValidIssuer = discovered.Issuer;
        }

        return (parameters, null);
    }

    private static bool HasNonStringSubject(string token)
    {
        try
        {
            var payload = token.Split('.')[1];
            using var json = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(payload));
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty(JwtRegisteredClaimNames.Sub, out var sub)
                && sub.ValueKind != JsonValueKind.String;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or JsonException)
        {
            return false;
        }
    }

    private string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the access token has expired",
        SecurityTokenNoExpirationException => "the access token has no exp claim",
        SecurityTokenNotYetValidException => "the access token is not valid yet (nbf)",
        SecurityTokenInvalidLifetimeException => "the access token has an invalid lifetime (nbf after exp)",
        SecurityTokenInvalidIssuerException => "the access token has the wrong issuer (iss)",
        SecurityTokenInvalidAudienceException => "the access token is for another audience (aud)",
        SecurityTokenInvalidAlgorithmException => _algorithmRule,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the access token signature does not verify",
        SecurityTokenException => "the access token is not valid",
        _ => "the access token is not a well-formed JWT",
    };
}
