namespace Fanout.Testing.Servers;

/// <summary>
/// Where the real servers for integration and end-to-end tests are. <c>scripts/test.sh</c> starts them and sets
/// these variables. Where a Docker engine exists, a Testcontainers-based source can set the same values before
/// the fixtures run; without either, the fixtures fail with a message saying how to get the servers.
/// </summary>
public static class TestServers
{
    public const string RabbitMqVariable = "FANOUT_TEST_RABBITMQ";
    public const string RabbitMqManagementVariable = "FANOUT_TEST_RABBITMQ_MANAGEMENT";
    public const string PostgresVariable = "FANOUT_TEST_POSTGRES";
    public const string RedisVariable = "FANOUT_TEST_REDIS";
    public const string ServersScriptVariable = "FANOUT_TEST_SERVERS_SCRIPT";

    /// <summary>AMQP URI of the broker, e.g. <c>amqp://guest:guest@127.0.0.1:5673/</c>.</summary>
    public static Uri RabbitMq => new(Require(RabbitMqVariable));

    /// <summary>Management API base, e.g. <c>http://guest:guest@127.0.0.1:15673</c>.</summary>
    public static Uri RabbitMqManagement => new(Require(RabbitMqManagementVariable));

    /// <summary>Npgsql connection string to an administrative database (tests create their own databases).</summary>
    public static string Postgres => Require(PostgresVariable);

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6380</c>.</summary>
    public static string Redis => Require(RedisVariable);

    /// <summary>The script that starts and stops the test servers (for tests that stop a broker on purpose).</summary>
    public static string ServersScript => Require(ServersScriptVariable);

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Run the tests with scripts/test.sh, which installs and starts RabbitMQ, Redis and " +
                "PostgreSQL on 127.0.0.1 and sets it, or point it at servers of your own.");
}
