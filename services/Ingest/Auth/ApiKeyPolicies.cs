using Microsoft.AspNetCore.Authorization;

namespace Fanout.Ingest.Auth;

public static class ApiKeyPolicies
{
    /// <summary>
    /// Name of <see cref="Fallback"/> as a named policy: the <c>/v1</c> routes ask for it by name, so that they need an
    /// API key even in a process whose default policy is another scheme's (the embedded mode also hosts the hub).
    /// </summary>
    public const string ApiKeyName = "ApiKey";

    /// <summary>Name of <see cref="EveryRoom"/>.</summary>
    public const string EveryRoomName = "ApiKeyEveryRoom";

    /// <summary>
    /// The policy of every request that names no other, matched route or not: a valid API key, except for exactly the
    /// two probe paths <c>/health/live</c> and <c>/health/ready</c>, which stay open for orchestrators (nothing else under
    /// <c>/health</c>, and not <c>/metrics</c>).
    /// </summary>
    public static AuthorizationPolicy Fallback { get; } = new AuthorizationPolicyBuilder(ApiKeyDefaults.Scheme)
        .RequireAssertion(context =>
            context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http && IsProbe(http.Request.Path)))
        .Build();

    /// <summary>The open health probes, matched exactly (case-insensitively, as routing does; a trailing slash too).</summary>
    public static bool IsProbe(PathString path)
    {
        var value = path.Value?.TrimEnd('/');
        return string.Equals(value, "/health/live", StringComparison.OrdinalIgnoreCase)
            || string.Equals(value, "/health/ready", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// A key allowed every room (room pattern <c>*</c>), for routes that are about the whole cluster rather than a
    /// room (<c>GET /v1/nodes</c>). A valid key without it is answered 403.
    /// </summary>
    public static AuthorizationPolicy EveryRoom { get; } = new AuthorizationPolicyBuilder(ApiKeyDefaults.Scheme)
        .RequireClaim(ApiKeyDefaults.EveryRoomClaim, "true")
        .Build();
}
