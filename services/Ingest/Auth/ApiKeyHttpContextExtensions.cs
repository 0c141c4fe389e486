namespace Fanout.Ingest.Auth;

public static class ApiKeyHttpContextExtensions
{
    /// <summary>The key the request was authenticated with (its rooms and limit), or null before authentication.</summary>
    public static ApiKey? GetApiKey(this HttpContext context) => context.Features.Get<ApiKey>();

    internal static void SetApiKey(this HttpContext context, ApiKey key) => context.Features.Set(key);
}
