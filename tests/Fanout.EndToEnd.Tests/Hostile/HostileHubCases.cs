using System.Text;
using Fanout.HubProtocol;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>What a hostile hub message must get.</summary>
public enum HubExpectation
{
    /// <summary>An error completion for that call; the connection stays open and its next call works.</summary>
    CallError,

    /// <summary>Legal after all (odd but valid data, an unknown epoch): a completion, error or not; the connection stays open.</summary>
    CallCompletes,

    /// <summary>
    /// A protocol error, which closes the connection as in stock SignalR (docs/protocol.md "What still closes a
    /// connection"), or an error completion. Either way nothing leaks and the node takes new connections.
    /// </summary>
    ProtocolError,

    /// <summary>
    /// Skipped without an answer (a message type the server does not know); the connection stays open and its next
    /// call works. (Stock SignalR, with a receive size limit set, never consumes such a message and the connection
    /// stalls; the node's hub protocol skips it.)
    /// </summary>
    Ignored,
}

/// <summary>One hostile hub message: raw bytes for the socket (invocations carry invocation id <see cref="Id"/>).</summary>
public sealed record HostileHubCase(string Name, byte[] Frame, HubExpectation Expectation)
{
    public const string Id = "h";
}

/// <summary>
/// The hostile hub cases: every hub method with hostile rooms and types, wrong types, huge and deep arguments, odd
/// Unicode, wrong argument counts, and malformed envelopes.
/// </summary>
public static class HostileHubCases
{
    private const string Target = HostileStackFixture.TargetRoom;

    private static readonly (string Method, Func<string, string> Arguments)[] RoomMethods =
    [
        ("Subscribe", room => $"[{room}]"),
        ("Unsubscribe", room => $"[{room}]"),
        ("Presence", room => $"[{room}]"),
        ("PresenceStats", room => $"[{room}]"),
        ("Publish", room => $"[{room},\"t\",1]"),
    ];

    public static readonly IReadOnlyDictionary<string, HostileHubCase> All = Build().ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    public static byte[] Invocation(string target, string arguments, string id = HostileHubCase.Id) =>
        HubRecords.Frame(HubRecords.Invocation(id, target, arguments));

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static IEnumerable<HostileHubCase> Build() =>
        HostileRooms().Concat(WrongTypes()).Concat(SubscribeArguments()).Concat(PublishArguments()).Concat(ArgumentCounts()).Concat(Envelopes());

    private static IEnumerable<HostileHubCase> HostileRooms()
    {
        foreach (var (method, arguments) in RoomMethods)
        {
            foreach (var id in HostileStrings.Ids)
            {
                yield return new($"{method} room {id.Label}", Invocation(method, arguments(id.Json)), HubExpectation.CallError);
            }
        }
    }

    private static IEnumerable<HostileHubCase> WrongTypes()
    {
        (string Label, string Json)[] values =
        [
            ("number", "1"), ("true", "true"), ("null", "null"), ("empty array", "[]"), ("object", "{\"room\":\"a\"}"), ("float", "1.5"),
            ("array nested 100", Nested(100)), ("array nested 10000", Nested(10_000)),
            ("array of 10000", "[" + string.Join(',', Enumerable.Repeat('0', 10_000)) + "]"),
            ("string of 100000", "\"" + new string('a', 100_000) + "\""),
        ];
        foreach (var (method, arguments) in RoomMethods)
        {
            foreach (var (label, json) in values)
            {
                yield return new($"{method} room {label}", Invocation(method, arguments(json)), HubExpectation.CallError);
            }
        }
    }

    private static IEnumerable<HostileHubCase> SubscribeArguments()
    {
        foreach (var afterSeq in new[] { "\"x\"", "\"1\"", "1.5", "1e30", "99999999999999999999", "true", "{}", "[]", Nested(10_000) })
        {
            yield return new($"Subscribe afterSeq {Label(afterSeq)}", Invocation("Subscribe", $"[\"{Target}\",{afterSeq}]"), HubExpectation.CallError);
        }

        yield return new("Subscribe afterSeq -1", Invocation("Subscribe", $"[\"{Target}\",-1]"), HubExpectation.CallCompletes);
        foreach (var epoch in new[] { "1", "{}", "[]", "true", Nested(10_000) })
        {
            yield return new($"Subscribe epoch {Label(epoch)}", Invocation("Subscribe", $"[\"{Target}\",0,{epoch}]"), HubExpectation.CallError);
        }

        foreach (var id in HostileStrings.Ids)
        {
            yield return new($"Subscribe epoch {id.Label}", Invocation("Subscribe", $"[\"{Target}\",0,{id.Json}]"), HubExpectation.CallCompletes);
        }
    }

    private static IEnumerable<HostileHubCase> PublishArguments()
    {
        foreach (var id in HostileStrings.Ids)
        {
            // "." and ".." are valid types (not rooms).
            var expectation = id.Label is "dot" or "dotdot" ? HubExpectation.CallCompletes : HubExpectation.CallError;
            yield return new($"Publish type {id.Label}", Invocation("Publish", $"[\"{Target}\",{id.Json},1]"), expectation);
        }

        foreach (var type in new[] { "1", "true", "null", "[]", "{}", Nested(10_000) })
        {
            yield return new($"Publish type {Label(type)}", Invocation("Publish", $"[\"{Target}\",{type},1]"), HubExpectation.CallError);
        }

        (string Label, string Json, HubExpectation Expectation)[] data =
        [
            ("nested 65", Nested(65), HubExpectation.CallError),
            ("nested 1000", Nested(1_000), HubExpectation.CallError),
            ("nested 100000", Nested(100_000), HubExpectation.CallError),
            ("objects nested 20000", string.Concat(Enumerable.Repeat("{\"a\":", 20_000)) + "1" + new string('}', 20_000), HubExpectation.CallError),
            ("string of 70000", "\"" + new string('d', 70_000) + "\"", HubExpectation.CallError),
            ("lone surrogate", "\"a\\ud800\"", HubExpectation.CallError),
            ("lone surrogate key", "{\"\\udc00\":1}", HubExpectation.CallError),
            ("NUL BOM RTL zero-width escapes", "\"\\u0000\\ufeff\\u202e\\u200b\"", HubExpectation.CallCompletes),
            ("SQL and paths", "{\"q\":\"'; DROP TABLE room_events; --\",\"p\":\"../../etc/passwd\",\"e\":\"%2F%00\"}", HubExpectation.CallCompletes),
            ("number 1e999", "1e999", HubExpectation.CallCompletes),
            ("array of 10000", "[" + string.Join(',', Enumerable.Repeat('0', 10_000)) + "]", HubExpectation.CallCompletes),
        ];
        foreach (var (label, json, expectation) in data)
        {
            yield return new($"Publish data {label}", Invocation("Publish", $"[\"{Target}\",\"t\",{json}]"), expectation);
        }
    }

    private static IEnumerable<HostileHubCase> ArgumentCounts()
    {
        foreach (var method in RoomMethods.Select(m => m.Method))
        {
            yield return new($"{method} with no arguments", Invocation(method, "[]"), HubExpectation.CallError);
            yield return new($"{method} with 10 arguments", Invocation(method, "[" + string.Join(',', Enumerable.Repeat($"\"{Target}\"", 10)) + "]"), HubExpectation.CallError);
        }
    }

    private static IEnumerable<HostileHubCase> Envelopes()
    {
        const char rs = HubRecords.RecordSeparatorChar;
        HostileHubCase Protocol(string name, string text) => new($"envelope {name}", Encoding.UTF8.GetBytes(text), HubExpectation.ProtocolError);
        HostileHubCase ProtocolBytes(string name, params byte[][] parts) => new($"envelope {name}", parts.SelectMany(p => p).ToArray(), HubExpectation.ProtocolError);
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

        yield return new("envelope arguments not an array", Invocation("Publish", "\"x\""), HubExpectation.CallError);
        yield return new("envelope arguments an object", Invocation("Subscribe", "{\"room\":\"a\"}"), HubExpectation.CallError);
        yield return new("envelope unknown method", Invocation("DropTable", $"[\"{Target}\"]"), HubExpectation.CallError);
        yield return new("envelope method SQL-ish", Invocation("'; DROP TABLE x; --", "[]"), HubExpectation.CallError);
        yield return new("envelope method of 10000 chars", Invocation(new string('M', 10_000), "[]"), HubExpectation.CallError);
        yield return new("envelope method with control characters", Invocation("Sub\\u0000scribe\\u0007", "[]"), HubExpectation.CallError);
        yield return Protocol("not JSON", "{" + rs);
        yield return Protocol("truncated invocation", $"{{\"type\":1,\"invocationId\":\"h\",\"target\":\"Subscribe\",\"argu{rs}");
        yield return Protocol("trailing garbage", $"{{\"type\":6}}}}{rs}");
        yield return Protocol("type a string", $"{{\"type\":\"1\",\"invocationId\":\"h\",\"target\":\"Subscribe\",\"arguments\":[]}}{rs}");
        yield return new("envelope type 99", Encoding.UTF8.GetBytes($"{{\"type\":99}}{rs}"), HubExpectation.Ignored);
        yield return Protocol("no type", $"{{\"invocationId\":\"h\"}}{rs}");
        yield return Protocol("no target", $"{{\"type\":1,\"invocationId\":\"h\",\"arguments\":[]}}{rs}");
        yield return Protocol("no arguments", $"{{\"type\":1,\"invocationId\":\"h\",\"target\":\"Subscribe\"}}{rs}");
        yield return Protocol("target a number", $"{{\"type\":1,\"invocationId\":\"h\",\"target\":5,\"arguments\":[]}}{rs}");
        yield return Protocol("invocationId a number", $"{{\"type\":1,\"invocationId\":5,\"target\":\"Subscribe\",\"arguments\":[\"{Target}\"]}}{rs}");
        yield return Protocol("headers not an object", $"{{\"type\":1,\"invocationId\":\"h\",\"headers\":[],\"target\":\"Subscribe\",\"arguments\":[\"{Target}\"]}}{rs}");
        yield return Protocol("headers of numbers", $"{{\"type\":1,\"invocationId\":\"h\",\"headers\":{{\"a\":1}},\"target\":\"Subscribe\",\"arguments\":[\"{Target}\"]}}{rs}");
        yield return Protocol("headers nested 100000", $"{{\"type\":1,\"invocationId\":\"h\",\"headers\":{Nested(100_000)},\"target\":\"Subscribe\",\"arguments\":[]}}{rs}");
        yield return Protocol("unknown property nested 100000", $"{{\"type\":1,\"x\":{Nested(100_000)},\"invocationId\":\"h\",\"target\":\"Subscribe\",\"arguments\":[\"{Target}\"]}}{rs}");
        yield return Protocol("stream invocation of Subscribe", $"{{\"type\":4,\"invocationId\":\"h\",\"target\":\"Subscribe\",\"arguments\":[\"{Target}\"]}}{rs}");
        yield return Protocol("cancel of an unknown invocation", $"{{\"type\":5,\"invocationId\":\"nope\"}}{rs}");
        yield return Protocol("completion from the client", $"{{\"type\":3,\"invocationId\":\"nope\",\"result\":1}}{rs}");
        yield return Protocol("close from the client", $"{{\"type\":7,\"error\":\"bye\"}}{rs}");
        yield return Protocol("empty message", $"{rs}");
        yield return Protocol("white space message", $"   {rs}");
        yield return Protocol("JSON null message", $"null{rs}");
        yield return Protocol("JSON array message", $"[1,2]{rs}");
        yield return Protocol("message of 300000 bytes", $"{{\"type\":1,\"invocationId\":\"h\",\"target\":\"Publish\",\"arguments\":[\"{Target}\",\"t\",\"{new string('x', 300_000)}\"]}}{rs}");
        yield return Protocol("1000 pings in one frame", string.Concat(Enumerable.Repeat($"{{\"type\":6}}{rs}", 1_000)));
        yield return Protocol("handshake again", $"{{\"protocol\":\"json\",\"version\":1}}{rs}");
        yield return ProtocolBytes("invalid UTF-8 in a text frame", Text("{\"type\":1,\"invocationId\":\"h\",\"target\":\"Subscribe\",\"arguments\":[\""), [0xff, 0xfe], Text($"\"]}}{rs}"));
        yield return ProtocolBytes("raw NUL bytes", Text("{\"type\":1,\"invocationId\":\"h\",\"target\":\"Subscribe\",\"arguments\":[\"a"), [0, 0], Text($"\"]}}{rs}"));
        yield return ProtocolBytes("UTF-8 BOM before a message", Encoding.UTF8.GetPreamble(), Invocation("Unsubscribe", $"[\"{Target}\"]"));
        yield return ProtocolBytes("raw control bytes between tokens", Text("{"), [1, 2, 3], Text($"\"type\":6}}{rs}"));
    }

    private static string Label(string json) => json.Length <= 30 ? json : $"{json[..10]}…({json.Length})";
}
