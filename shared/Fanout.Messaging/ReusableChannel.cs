using RabbitMQ.Client;

namespace Fanout.Messaging;

/// <summary>
/// One channel used by one caller at a time, opened on first use and opened again after it closed (with
/// <paramref name="declareAsync"/> run on each new channel). For low-rate publishers such as routing and dead letters.
/// </summary>
public sealed class ReusableChannel(
    RabbitMqConnectionSource connections, CreateChannelOptions? options, Func<IChannel, CancellationToken, Task> declareAsync)
    : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    /// <summary>Runs <paramref name="use"/> with the channel; a failure closes the channel so the next use opens a new one.</summary>
    public async Task UseAsync(Func<IChannel, Task> use, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_channel is not { IsOpen: true })
            {
                await _channel.CloseQuietlyAsync();
                var connection = await connections.GetConnectionAsync(cancellationToken);
                _channel = await connection.CreateChannelAsync(options, cancellationToken);
                await declareAsync(_channel, cancellationToken);
            }

            await use(_channel);
        }
        catch
        {
            await _channel.CloseQuietlyAsync();
            _channel = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseQuietlyAsync();
        _gate.Dispose();
    }
}
