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

    /// <summary>Claim present (value <c>true</c>) when the key may use every room (a room pattern <c>*</c>).</summary>
    public const string EveryRoomClaim = "fanout:every_room";
}
