using Microsoft.Extensions.Hosting;

namespace Fanout.ServiceDefaults.Security;

public static class InsecureSettingsExtensions
{
    /// <summary>
    /// Outside the Development environment, throws <see cref="InsecureSettingsException"/> (before anything starts) when
    /// the settings this process reads are insecure (<see cref="InsecureSettings"/>): the API keys when
    /// <paramref name="apiKeys"/>, the HS256 signing key when <paramref name="signingKey"/>. <c>Program.Main</c> turns it
    /// into one line on stderr and exit code 2.
    /// </summary>
    public static IHostApplicationBuilder RefuseInsecureSettings(this IHostApplicationBuilder builder, bool apiKeys, bool signingKey)
    {
        if (builder.Environment.IsDevelopment())
        {
            return builder;
        }

        var refusal = (apiKeys ? InsecureSettings.CheckApiKeys(builder.Configuration) : null)
            ?? (signingKey ? InsecureSettings.CheckSigningKey(builder.Configuration) : null);
        return refusal is null
            ? builder
            : throw new InsecureSettingsException(
                $"{refusal} (Environment {builder.Environment.EnvironmentName}; in Development these checks are off.)");
    }
}
