using System.ComponentModel.DataAnnotations;

namespace Fanout.Ingest.Options;

/// <summary>The publish API's keys and request limits (section <c>Ingest</c>).</summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string SectionName = "Ingest";

    public const int MinKeyLength = 16;

    /// <summary>Keys accepted as <c>Authorization: Bearer &lt;key&gt;</c>; at least one is required.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>Largest request body, in bytes, of any publish request (single, batch, broadcast).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Seconds sent in <c>Retry-After</c> when events cannot be accepted right now (HTTP 503).</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApiKeys.Count == 0)
        {
            yield return new ValidationResult(
                $"{SectionName}:ApiKeys must list at least one key (e.g. environment variables {SectionName}__ApiKeys__0__Name and {SectionName}__ApiKeys__0__Key).",
                [nameof(ApiKeys)]);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var entry = ApiKeys[i];
            var setting = $"{SectionName}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(entry.Name))
            {
                yield return new ValidationResult($"{setting}:Name is required (it names the key holder in logs).", [nameof(ApiKeys)]);
            }
            else if (!names.Add(entry.Name))
            {
                yield return new ValidationResult($"{setting}:Name '{entry.Name}' is used by another key.", [nameof(ApiKeys)]);
            }

            if (entry.Key.Length < MinKeyLength)
            {
                yield return new ValidationResult($"{setting}:Key must be at least {MinKeyLength} characters.", [nameof(ApiKeys)]);
            }
            else if (entry.Key.Any(c => c is <= ' ' or > '~'))
            {
                yield return new ValidationResult($"{setting}:Key must be printable ASCII without spaces.", [nameof(ApiKeys)]);
            }
            else if (!keys.Add(entry.Key))
            {
                yield return new ValidationResult($"{setting}:Key is the same as another key.", [nameof(ApiKeys)]);
            }
        }
    }
}
