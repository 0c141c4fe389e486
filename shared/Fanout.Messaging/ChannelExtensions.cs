using RabbitMQ.Client;

namespace Fanout.Messaging;

public static class ChannelExtensions
{
    /// <summary>Closes and disposes a channel that may already be gone with its connection.</summary>
    public static async Task CloseQuietlyAsync(this IChannel? channel)
    {
        if (channel is null)
        {
            return;
        }

        try
        {
            await channel.CloseAsync();
        }
        catch (Exception)
        {
            // Already closed with its connection.
        }

        channel.Dispose();
    }
}
