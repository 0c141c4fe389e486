namespace Fanout.Realtime.Auth;

/// <summary>How a request carries a client access token, and how a refusal is answered: one place for the scheme's
/// handler (<see cref="AccessTokenAuthenticationHandler"/>) and the hub's (<see cref="HubRequestAuthentication"/>).</summary>
public static class AccessTokenRequest
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>The token in <c>Authorization: Bearer</c>, else in the <c>access_token</c> query parameter; null when neither has one.</summary>
    public static string? ReadToken(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count == 1 && header[0] is { } value && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return value[BearerPrefix.Length..].Trim();
        }

        var query = request.Query[RealtimeAuthenticationDefaults.AccessTokenQueryParameter];
        return query.Count == 1 && !string.IsNullOrEmpty(query[0]) ? query[0] : null;
    }

    /// <summary>401 with <c>WWW-Authenticate: Bearer</c>, and <c>error="invalid_token"</c> with the reason when a token was refused.</summary>
    public static void Challenge(HttpResponse response, string? failure)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{failure}\"";
    }
}
