using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// One AMQP connection per process, opened on first use and opened again after it is lost.
/// Automatic recovery is off on purpose: each component that holds channels notices the loss, drops what
/// it had not acknowledged (the broker redelivers it) and builds its channels again.
/// </summary>
public sealed partial class RabbitMqConnectionSource : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ILogger<RabbitMqConnectionSource> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    public RabbitMqConnectionSource(string connectionString, string clientName, ILogger<RabbitMqConnectionSource> logger)
    {
        _factory = new ConnectionFactory
        {
            Uri = new Uri(connectionString),
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(3),
            ContinuationTimeout = TimeSpan.FromSeconds(10),
            ConsumerDispatchConcurrency = 1,
        };
        _logger = logger;
    }

    /// <summary>The open connection, connecting (once, for all callers) when there is none.</summary>
    public async Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        if (current is { IsOpen: true })
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true })
            {
                return _connection;
            }

            if (_connection is not null)
            {
                await DisposeQuietlyAsync(_connection);
            }

            _connection = await _factory.CreateConnectionAsync(cancellationToken);
            _connection.ConnectionShutdownAsync += (_, args) =>
            {
                LogConnectionLost(_logger, args.ReplyCode, args.ReplyText);
                return Task.CompletedTask;
            };
            LogConnected(_logger, _factory.Endpoint.ToString());
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await DisposeQuietlyAsync(_connection);
        }

        _gate.Dispose();
    }

    private static async Task DisposeQuietlyAsync(IConnection connection)
    {
        try
        {
            await connection.CloseAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
            // The connection is already gone; nothing to close.
        }

        connection.Dispose();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connected to RabbitMQ at {Endpoint}")]
    private static partial void LogConnected(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "RabbitMQ connection lost: {ReplyCode} {ReplyText}")]
    private static partial void LogConnectionLost(ILogger logger, ushort replyCode, string replyText);
}
