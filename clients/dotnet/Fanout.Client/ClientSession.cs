using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.Client;

/// <summary>One open connection of a <see cref="FanoutClient"/> to one node; <see cref="Closed"/> completes when it ends.</summary>
internal sealed class ClientSession(HubConnection connection, Uri hubUrl)
{
    public HubConnection Connection { get; } = connection;

    public Uri HubUrl { get; } = hubUrl;

    /// <summary>Completes with the error that closed the connection (null for a clean close).</summary>
    public TaskCompletionSource<Exception?> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
