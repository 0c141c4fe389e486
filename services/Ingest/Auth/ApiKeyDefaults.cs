namespace Fanout.Ingest.Auth;

/// <summary>Names used by API key authentication.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme (the credential itself travels as <c>Authorization: Bearer &lt;key&gt;</c>).</summary>
    public const string Scheme = "ApiKey";

    /// <summary>The realm named in <c>WWW-Authenticate</c>.</summary>
    public const string Realm = "fanout";

    /// <summary>Claim type holding the configured name of the key a request used.</summary>
    public const string KeyNameClaim = "fanout:api_key_name";
}
