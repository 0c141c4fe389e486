using Microsoft.AspNetCore.Authorization;

namespace Fanout.Ingest.Auth;

public static class ApiKeyPolicies
{
    /// <summary>
    /// The policy of every request that names no other, matched route or not: a valid API key, except for the
    /// health endpoints under <c>/health</c>, which stay open for orchestrators.
    /// </summary>
    public static AuthorizationPolicy Fallback { get; } = new AuthorizationPolicyBuilder(ApiKeyDefaults.Scheme)
        .RequireAssertion(context =>
            context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http && http.Request.Path.StartsWithSegments("/health")))
        .Build();
}
