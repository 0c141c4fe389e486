using Microsoft.Extensions.Configuration;

namespace Fanout.ServiceDefaults;

/// <summary>Names of the connection strings (<c>ConnectionStrings:rabbitmq|postgres|redis</c>).</summary>
public static class ConnectionStrings
{
    public const string RabbitMq = "rabbitmq";
    public const string Postgres = "postgres";
    public const string Redis = "redis";

    /// <summary>The named connection string, or a start-up failure that names the setting.</summary>
    public static string Require(IConfiguration configuration, string name)
    {
        var value = configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                $"Missing setting ConnectionStrings:{name} (environment variable ConnectionStrings__{name}).")
            : value;
    }
}
