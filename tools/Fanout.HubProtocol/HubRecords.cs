using System.Text;

namespace Fanout.HubProtocol;

/// <summary>
/// The records of the SignalR JSON hub protocol (docs/protocol.md): each message is JSON followed by the record
/// separator, 0x1e; the client opens with the handshake request and the server answers <c>{}</c> or an error.
/// </summary>
public static class HubRecords
{
    /// <summary>Ends every message, in both directions.</summary>
    public const byte RecordSeparator = 0x1e;

    /// <summary><see cref="RecordSeparator"/> as a character, for building messages as text.</summary>
    public const char RecordSeparatorChar = '\u001e';

    /// <summary>The handshake request: JSON hub protocol, version 1.</summary>
    public const string HandshakeRequest = """{"protocol":"json","version":1}""";

    /// <summary>The handshake response that accepts the connection.</summary>
    public const string HandshakeAccepted = "{}";

    /// <summary>A ping message (type 6), as a whole record.</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = Frame("""{"type":6}""");

    /// <summary>An invocation message (type 1) of <paramref name="target"/> with arguments given as JSON (an array, or anything, to test the server).</summary>
    public static string Invocation(string invocationId, string target, string argumentsJson) =>
        $$"""{"type":1,"invocationId":"{{invocationId}}","target":"{{target}}","arguments":{{argumentsJson}}}""";

    /// <summary><paramref name="json"/> as one record: its UTF-8 bytes and the record separator.</summary>
    public static byte[] Frame(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = new byte[Encoding.UTF8.GetByteCount(json) + 1];
        Encoding.UTF8.GetBytes(json, bytes);
        bytes[^1] = RecordSeparator;
        return bytes;
    }

    /// <summary>The records of a payload that holds whole records (a long-polling response, a server-sent event).</summary>
    public static string[] Split(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload.Split(RecordSeparatorChar, StringSplitOptions.RemoveEmptyEntries);
    }
}
