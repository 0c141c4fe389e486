using System.Text;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>Fails the start of the node with a message naming the key when <see cref="JwtOptions"/> are unusable.</summary>
public sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SigningKey) && options.PublicKeys.Count == 0 && !options.HasIssuerKeys)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.SigningKey)} is required: the HS256 key shared with the " +
                $"token issuer, at least {JwtOptions.MinimumSigningKeyBytes} bytes of UTF-8 (or give " +
                $"{JwtOptions.SectionName}:PublicKeys, :Authority or :JwksUrl for RS256 / ES256 tokens).");
        }
        else if (!string.IsNullOrEmpty(options.SigningKey) && Encoding.UTF8.GetByteCount(options.SigningKey) is var bytes and < JwtOptions.MinimumSigningKeyBytes)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.SigningKey)} is {bytes} bytes of UTF-8; HS256 needs at " +
                $"least {JwtOptions.MinimumSigningKeyBytes}.");
        }

        for (var i = 0; i < options.PublicKeys.Count; i++)
        {
            var (_, _, error) = JwtSigningKeys.Load(options.PublicKeys[i]);
            if (error is not null)
            {
                failures.Add($"{JwtOptions.SectionName}:PublicKeys:{i}:Key {error}.");
            }
        }

        ValidateIssuerKeys(options, failures);

        if (options.ClockSkewSeconds is < 0 or > JwtOptions.MaximumClockSkewSeconds)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.ClockSkewSeconds)} must be 0-{JwtOptions.MaximumClockSkewSeconds} " +
                $"(seconds); it is {options.ClockSkewSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateIssuerKeys(JwtOptions options, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(options.Authority) && !string.IsNullOrWhiteSpace(options.JwksUrl))
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.Authority)} and :{nameof(JwtOptions.JwksUrl)} are exclusive; give one.");
        }

        foreach (var (name, value) in new[] { (nameof(JwtOptions.Authority), options.Authority), (nameof(JwtOptions.JwksUrl), options.JwksUrl) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{JwtOptions.SectionName}:{name} must be an absolute https URL, not '{value}'.");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && options.RequireHttpsMetadata)
            {
                failures.Add($"{JwtOptions.SectionName}:{name} must be https (or set {JwtOptions.SectionName}:{nameof(JwtOptions.RequireHttpsMetadata)} to false).");
            }
        }

        if (options.KeysRefreshMinutes is < 5 or > 1440)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.KeysRefreshMinutes)} must be 5-1440 (minutes); it is {options.KeysRefreshMinutes}.");
        }

        if (options.KeysRefetchCooldownSeconds is < 1 or > 3600)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.KeysRefetchCooldownSeconds)} must be 1-3600 (seconds); it is {options.KeysRefetchCooldownSeconds}.");
        }
    }
}
