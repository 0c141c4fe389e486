using Fanout.Contracts.Validation;
using Fanout.Ingest.Auth;

namespace Fanout.Ingest.Options;

/// <summary>
/// One API key a backend uses (<c>Ingest:ApiKeys:{i}</c>): who holds it, the key as a SHA-256 hash (or, for local
/// development, in plain text), the rooms it may use, whether it may delete, and its own rate limit.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key; appears in logs, never the key itself.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The SHA-256 of the key (its UTF-8 bytes) as 64 hex digits, optionally written <c>sha256:&lt;hex&gt;</c>;
    /// <c>scripts/hash-api-key.sh</c> makes one. The production way: the key itself is stored nowhere on the server.
    /// </summary>
    public string? Hash { get; set; }

    /// <summary>
    /// The key in plain text (at least <see cref="IngestOptions.MinKeyLength"/> printable ASCII characters), for local
    /// development; outside the Development environment it works but logs a warning. Set <see cref="Hash"/> or this, not both.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>
    /// Room patterns (<see cref="RoomPattern"/>: <c>chat:*</c>, <c>user:42</c>) the key may use. None listed means
    /// <c>*</c>, every room. (Empty by default rather than <c>["*"]</c>: the binder would append to a default.)
    /// </summary>
    public List<string> Rooms { get; set; } = [];

    /// <summary>
    /// Set by <see cref="IngestOptions.Bind"/> when <c>Rooms</c> was given as one value instead of a list: the binder
    /// would leave the list empty, which means every room, so it is refused instead.
    /// </summary>
    internal bool RoomsGivenAsValue { get; set; }

    /// <summary>
    /// Whether the key may also do destructive operations on the rooms it may use: today <c>DELETE /v1/rooms/{room}/events</c>.
    /// Off by default: a key that only publishes and reads cannot wipe a room's history.
    /// </summary>
    public bool AllowDestructive { get; set; }

    /// <summary>Requests per second this key may send on average; <c>0</c> is unlimited. Unset: <c>Ingest:RateLimit:RequestsPerSecond</c>.</summary>
    public int? RequestsPerSecond { get; set; }

    /// <summary>Requests this key may send at once above the average (the token bucket's size). Unset: <c>Ingest:RateLimit:Burst</c>.</summary>
    public int? Burst { get; set; }

    /// <summary>What is wrong with this key's settings, each message naming the setting under <paramref name="setting"/>.</summary>
    public IEnumerable<string> Validate(string setting)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return $"{setting}:Name is required (it names the key holder in logs).";
        }

        var hasHash = !string.IsNullOrEmpty(Hash);
        var hasKey = !string.IsNullOrEmpty(Key);
        if (hasHash == hasKey)
        {
            yield return hasHash
                ? $"{setting} has both Hash and Key; keep only Hash (the SHA-256 of the key)."
                : $"{setting}:Hash is required: the SHA-256 of the key as 64 hex digits (scripts/hash-api-key.sh), or Key with the key itself for local development.";
        }
        else if (hasHash && !ApiKeyHash.TryParse(Hash!, out _))
        {
            yield return $"{setting}:Hash must be the SHA-256 of the key as 64 hex digits, optionally prefixed 'sha256:' (scripts/hash-api-key.sh).";
        }
        else if (hasKey && Key!.Length < IngestOptions.MinKeyLength)
        {
            yield return $"{setting}:Key must be at least {IngestOptions.MinKeyLength} characters.";
        }
        else if (hasKey && Key!.Any(c => c is <= ' ' or > '~'))
        {
            yield return $"{setting}:Key must be printable ASCII without spaces.";
        }

        if (RoomsGivenAsValue)
        {
            yield return $"{setting}:Rooms must be a list ({setting}:Rooms:0, {setting}:Rooms:1, …; in JSON an array), not one value.";
        }

        for (var j = 0; j < Rooms.Count; j++)
        {
            if (RoomPattern.Validate(Rooms[j]) is { } patternError)
            {
                yield return $"{setting}:Rooms:{j}: {patternError}.";
            }
        }

        if (RequestsPerSecond is < 0 or > RateLimitOptions.MaxRequestsPerSecond)
        {
            yield return $"{setting}:RequestsPerSecond must be 0 (unlimited) to {RateLimitOptions.MaxRequestsPerSecond}.";
        }

        if (Burst is < 1 or > RateLimitOptions.MaxBurst)
        {
            yield return $"{setting}:Burst must be 1 to {RateLimitOptions.MaxBurst}.";
        }
    }
}
