using System.IO.Pipelines;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.UnitTests.Realtime;

/// <summary>
/// A hub connection past its handshake (JSON protocol) over in-memory pipes, without a server: what the node writes
/// to it can be read back with <see cref="ReadSent"/>. The outgoing pipe pauses the writer past
/// <paramref name="pauseWriterBytes"/> unread bytes, like a transport whose client reads slowly.
/// </summary>
public sealed class PipeHubConnection(DefaultConnectionContext context, Pipe output)
    : HubConnectionContext(context, ContextOptions, NullLoggerFactory.Instance)
{
    private static readonly HubConnectionContextOptions ContextOptions = new()
    {
        KeepAliveInterval = Timeout.InfiniteTimeSpan,
        ClientTimeoutInterval = Timeout.InfiniteTimeSpan,
        StreamBufferCapacity = 10,
    };

    private static readonly IHubProtocol Json = new JsonHubProtocol();

    public override IHubProtocol Protocol => Json;

    public static PipeHubConnection Create(string id, ClaimsPrincipal? user = null, long pauseWriterBytes = 1 << 20)
    {
        var input = new Pipe();
        var output = new Pipe(new PipeOptions(
            pauseWriterThreshold: pauseWriterBytes, resumeWriterThreshold: pauseWriterBytes / 2, useSynchronizationContext: false));
        var context = new DefaultConnectionContext(
            id, new DuplexPipe(input.Reader, output.Writer), new DuplexPipe(output.Reader, input.Writer));
        if (user is not null)
        {
            context.User = user;
        }

        return new PipeHubConnection(context, output);
    }

    /// <summary>Everything written to the connection that was not read yet, as text (JSON messages end with 0x1e).</summary>
    public string ReadSent()
    {
        if (!output.Reader.TryRead(out var result))
        {
            return "";
        }

        var text = Encoding.UTF8.GetString(result.Buffer);
        output.Reader.AdvanceTo(result.Buffer.End);
        return text;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
