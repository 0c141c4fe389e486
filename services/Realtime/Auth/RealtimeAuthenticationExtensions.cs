using Fanout.Realtime.Lifecycle;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

public static class RealtimeAuthenticationExtensions
{
    /// <summary>
    /// Client authentication for realtime nodes: <see cref="JwtOptions"/> from <c>Auth:Jwt</c> (checked at start), the
    /// access-token scheme as the default scheme, a default authorization policy that requires an authenticated user
    /// (so <c>[Authorize]</c> on a hub refuses anonymous negotiate and WebSocket requests with 401), and the token's
    /// <c>sub</c> as the SignalR user id, which also closes each hub connection when its token expires
    /// (<see cref="TokenExpiryWatch"/>). The app still calls <c>UseAuthentication()</c> and <c>UseAuthorization()</c>.
    /// </summary>
    public static IServiceCollection AddRealtimeAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JwtOptions>()
            .Bind(configuration.GetSection(JwtOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>());
        services.TryAddSingleton<TokenClaims>();
        services.TryAddSingleton<AccessTokenValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenExpiryWatch>();
        services.AddHostedService<JwtScopeCheck>();

        services.AddAuthentication(RealtimeAuthenticationDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenAuthenticationHandler>(RealtimeAuthenticationDefaults.Scheme, null);

        var clients = new AuthorizationPolicyBuilder(RealtimeAuthenticationDefaults.Scheme)
            .RequireAuthenticatedUser()
            .Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(RealtimeAuthenticationDefaults.ClientPolicy, clients)
            .SetDefaultPolicy(clients);

        services.Replace(ServiceDescriptor.Singleton<IUserIdProvider, SubjectUserIdProvider>());
        return services;
    }
}
