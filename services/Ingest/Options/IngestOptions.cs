using System.ComponentModel.DataAnnotations;
using Fanout.Ingest.Auth;

namespace Fanout.Ingest.Options;

/// <summary>The publish API's keys and request limits (section <c>Ingest</c>).</summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string SectionName = "Ingest";

    public const int MinKeyLength = 16;

    /// <summary>
    /// Keys accepted as <c>Authorization: Bearer &lt;key&gt;</c>; at least one is required. Reloaded while running
    /// (<see cref="ApiKeyStore"/>): an invalid new set is logged and the previous one kept.
    /// </summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>The rate limit of keys that set none of their own.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// Path of an extra JSON configuration file, read at start and reloaded when it changes (e.g. a mounted
    /// <c>apikeys.json</c> holding <c>{"Ingest": {"ApiKeys": [...]}}</c>); it overrides every other source.
    /// </summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Largest request body, in bytes, of any publish request (single, batch, broadcast).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Seconds sent in <c>Retry-After</c> when events cannot be accepted right now (HTTP 503).</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Binds <paramref name="section"/> (<c>Ingest</c>) onto <paramref name="options"/>, noting key settings the binder would drop.</summary>
    public static void Bind(IConfiguration section, IngestOptions options)
    {
        section.Bind(options);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var rooms = section.GetSection($"{nameof(ApiKeys)}:{i}:{nameof(ApiKeyOptions.Rooms)}");
            options.ApiKeys[i].RoomsGivenAsValue = !string.IsNullOrEmpty(rooms.Value) && !rooms.GetChildren().Any();
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ValidateKeys().Select(message => new ValidationResult(message, [nameof(ApiKeys)]));

    /// <summary>Every problem of the key set and the rate limit defaults, each message naming its setting.</summary>
    public IEnumerable<string> ValidateKeys()
    {
        if (ApiKeys.Count == 0)
        {
            yield return $"{SectionName}:ApiKeys must list at least one key (e.g. environment variables {SectionName}__ApiKeys__0__Name and {SectionName}__ApiKeys__0__Hash).";
        }

        if (RateLimit.RequestsPerSecond is < 0 or > RateLimitOptions.MaxRequestsPerSecond)
        {
            yield return $"{SectionName}:RateLimit:RequestsPerSecond must be 0 (unlimited) to {RateLimitOptions.MaxRequestsPerSecond}.";
        }

        if (RateLimit.Burst is < 1 or > RateLimitOptions.MaxBurst)
        {
            yield return $"{SectionName}:RateLimit:Burst must be 1 to {RateLimitOptions.MaxBurst}.";
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var entry = ApiKeys[i];
            var setting = $"{SectionName}:ApiKeys:{i}";
            var errors = entry.Validate(setting).ToList();
            foreach (var error in errors)
            {
                yield return error;
            }

            if (!string.IsNullOrWhiteSpace(entry.Name) && !names.Add(entry.Name))
            {
                yield return $"{setting}:Name '{entry.Name}' is used by another key.";
            }

            var hash = errors.Count == 0 ? Convert.ToHexString(ApiKeyHash.Of(entry)) : null;
            if (hash is not null && !hashes.TryAdd(hash, i))
            {
                yield return $"{setting} is the same as another key ({SectionName}:ApiKeys:{hashes[hash]}).";
            }
        }
    }
}
