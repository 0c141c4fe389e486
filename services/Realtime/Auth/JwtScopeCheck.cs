using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>
/// Warns at start (event 5102) when tokens are verified with asymmetric keys (<c>Auth:Jwt:PublicKeys</c> or
/// <c>:JwksUrl</c>) and neither <c>Auth:Jwt:Issuer</c> nor <c>:Audience</c> is set: such keys often belong to an identity
/// provider that signs tokens for other applications too, and every one of them would then be accepted here. With
/// <c>:Authority</c> the issuer is checked anyway (the discovery document's).
/// </summary>
public sealed class JwtScopeCheck(IOptions<JwtOptions> options, ILogger<JwtScopeCheck> logger) : IHostedService
{
    /// <summary>Whether <paramref name="jwt"/> accepts asymmetric tokens of any issuer for any audience.</summary>
    public static bool IsUnscoped(JwtOptions jwt) =>
        (jwt.PublicKeys.Count > 0 || !string.IsNullOrWhiteSpace(jwt.JwksUrl))
        && string.IsNullOrWhiteSpace(jwt.Authority)
        && string.IsNullOrWhiteSpace(jwt.Issuer)
        && string.IsNullOrWhiteSpace(jwt.Audience);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsUnscoped(options.Value))
        {
            AuthLog.TokensUnscoped(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
