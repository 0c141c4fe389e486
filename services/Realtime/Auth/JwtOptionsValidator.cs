using System.Text;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>Fails the start of the node with a message naming the key when <see cref="JwtOptions"/> are unusable.</summary>
public sealed class JwtOptionsValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.SigningKey) && options.PublicKeys.Count == 0)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.SigningKey)} is required: the HS256 key shared with the " +
                $"token issuer, at least {JwtOptions.MinimumSigningKeyBytes} bytes of UTF-8 (or give " +
                $"{JwtOptions.SectionName}:PublicKeys for RS256 / ES256 tokens).");
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

        if (options.ClockSkewSeconds is < 0 or > JwtOptions.MaximumClockSkewSeconds)
        {
            failures.Add($"{JwtOptions.SectionName}:{nameof(JwtOptions.ClockSkewSeconds)} must be 0-{JwtOptions.MaximumClockSkewSeconds} " +
                $"(seconds); it is {options.ClockSkewSeconds}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
