namespace Fanout.Realtime.Auth;

/// <summary>
/// Which rooms a connection may subscribe to and publish to, from claims of its access token (section
/// <c>Auth:Permissions</c>). Each claim holds room patterns (<see cref="Fanout.Contracts.Validation.RoomPattern"/>:
/// <c>chat:*</c>, <c>user:42</c>, <c>*</c>), as a JSON array or one string (several separated by spaces).
/// The personal room <c>user:{sub}</c> is always allowed to its owner.
/// </summary>
public sealed class RoomPermissionsOptions
{
    public const string SectionName = "Auth:Permissions";

    /// <summary>The claim whose patterns may be subscribed to.</summary>
    public string SubscribeClaim { get; set; } = "subscribe";

    /// <summary>The claim whose patterns may be published to.</summary>
    public string PublishClaim { get; set; } = "publish";

    /// <summary>The claim whose patterns may be both subscribed and published to.</summary>
    public string RoomsClaim { get; set; } = "rooms";

    /// <summary>
    /// What a token with none of the three claims may do. True (default): only its personal room. False: every room,
    /// as before permissions existed (for a migration; a token with any of the claims is limited by them either way).
    /// </summary>
    public bool Required { get; set; } = true;
}
