using System.Net.Http.Headers;
using System.Text;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>What a hostile HTTP request must get.</summary>
public enum HttpExpectation
{
    /// <summary>A 4xx with a problem details body.</summary>
    Problem,

    /// <summary>
    /// A 4xx; the body may be empty when Kestrel refuses the request before the app sees it (a NUL or control
    /// character in the path, a request line over its limit), else problem details.
    /// </summary>
    ClientError,

    /// <summary>Valid after all (odd but legal data, ignored query parameters): anything but a 5xx.</summary>
    NotServerError,
}

/// <summary>One hostile HTTP request.</summary>
public sealed record HostileHttpCase(
    string Name,
    HttpMethod Method,
    string PathAndQuery,
    byte[]? Body,
    HttpExpectation Expectation = HttpExpectation.Problem,
    string? ContentType = "application/json",
    Action<HttpRequestMessage>? Headers = null,
    bool Authorized = true)
{
    public HttpRequestMessage ToRequest()
    {
        var request = new HttpRequestMessage(Method, new Uri(PathAndQuery, UriKind.Relative));
        if (Authorized)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", FanoutStack.ApiKey);
        }

        if (Body is not null)
        {
            request.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        Headers?.Invoke(request);
        return request;
    }
}

/// <summary>
/// The hostile HTTP cases: every route, with hostile ids in paths and bodies, malformed and truncated JSON, wrong
/// types, huge and deep values, invalid UTF-8, odd Unicode, bad queries and headers.
/// </summary>
public static class HostileHttpCases
{
    private const string Target = HostileStackFixture.TargetRoom;
    private const string ValidSingle = """{"type":"chat.message","data":{"text":"hello","n":[1,2,3]}}""";

    public static readonly IReadOnlyDictionary<string, HostileHttpCase> All = Build()
        .ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var name in All.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    private static IEnumerable<HostileHttpCase> Build() =>
        IdsInPaths().Concat(IdsInBodies()).Concat(SingleBodies()).Concat(BatchBodies()).Concat(BroadcastBodies())
            .Concat(HistoryQueries()).Concat(NodesAndMethods()).Concat(HeaderCases());

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p switch { string s => Encoding.UTF8.GetBytes(s), byte[] b => b, _ => throw new ArgumentException("part") }).ToArray();

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static IEnumerable<HostileHttpCase> IdsInPaths()
    {
        foreach (var id in HostileStrings.Ids)
        {
            var room = $"/v1/rooms/{id.PathSegment}";
            yield return new($"path room {id.Label}: POST events", HttpMethod.Post, $"{room}/events", Utf8(ValidSingle), HttpExpectation.ClientError);
            yield return new($"path room {id.Label}: GET events", HttpMethod.Get, $"{room}/events", null, HttpExpectation.ClientError);
            yield return new($"path room {id.Label}: DELETE events", HttpMethod.Delete, $"{room}/events", null, HttpExpectation.ClientError);
            yield return new($"path room {id.Label}: GET presence", HttpMethod.Get, $"{room}/presence", null, HttpExpectation.ClientError);
            yield return new($"path room {id.Label}: GET presence stats", HttpMethod.Get, $"{room}/presence/stats", null, HttpExpectation.ClientError);
        }

        string[] raw = ["/v1/rooms/%/events", "/v1/rooms/%zz/events", "/v1/rooms/a%2/events", "/v1/rooms/%c0%af/events",
            "/v1/rooms/..%2F..%2Fnodes/events", "/v1/rooms/%2e%2e/events", "/v1/rooms/a;b=c/events", "/v1/rooms/a/events/extra",
            "/v1/rooms//events", "/v1//rooms/a/events", "/v1/rooms/" + new string('x', 20_000) + "/events"];
        foreach (var path in raw)
        {
            var label = path.Length > 60 ? path[..40] + $"…({path.Length})" : path;
            yield return new($"raw path {label}: GET", HttpMethod.Get, path, null, HttpExpectation.ClientError);
            yield return new($"raw path {label}: POST", HttpMethod.Post, path, Utf8(ValidSingle), HttpExpectation.ClientError);
        }
    }

    private static IEnumerable<HostileHttpCase> IdsInBodies()
    {
        foreach (var id in HostileStrings.Ids)
        {
            // "." and ".." are valid types (not rooms): those may be accepted.
            var typeExpectation = id.Label is "dot" or "dotdot" ? HttpExpectation.NotServerError : HttpExpectation.Problem;
            yield return new($"body type {id.Label}: POST room events", HttpMethod.Post, $"/v1/rooms/{Target}/events",
                Utf8($$"""{"type":{{id.Json}},"data":1}"""), typeExpectation);
            yield return new($"body room {id.Label}: POST /v1/events", HttpMethod.Post, "/v1/events",
                Utf8($$"""{"events":[{"room":{{id.Json}},"type":"t","data":1}]}"""));
            yield return new($"body type {id.Label}: POST /v1/events", HttpMethod.Post, "/v1/events",
                Utf8($$"""{"events":[{"room":"{{Target}}","type":{{id.Json}},"data":1}]}"""), typeExpectation);
            if (id.Label is not ("sql-or" or "sql-comment" or "dotdot" or "dot" or "html" or "format" or "space" or "json-injection" or "sql-drop" or "dotdot-slash" or "backslashes" or "pct-2F" or "pct-00" or "pct-double"))
            {
                // Printable ASCII is a valid idempotency key; the others are not.
                yield return new($"body idempotencyKey {id.Label}: POST /v1/events", HttpMethod.Post, "/v1/events",
                    Utf8($$"""{"events":[{"room":"{{Target}}","type":"t","data":1,"idempotencyKey":{{id.Json}}}]}"""));
            }

            yield return new($"body room {id.Label}: POST /v1/broadcast", HttpMethod.Post, "/v1/broadcast",
                Utf8($$"""{"rooms":["{{Target}}",{{id.Json}}],"type":"t","data":1}"""));
        }
    }

    private static IEnumerable<HostileHttpCase> SingleBodies()
    {
        var route = $"/v1/rooms/{Target}/events";
        HostileHttpCase Case(string name, byte[] body, HttpExpectation expectation = HttpExpectation.Problem) =>
            new($"single body {name}", HttpMethod.Post, route, body, expectation);

        string[] malformed = ["", " ", "\n\t ", "{", "}", "[", "]", "{\"type\":", "{\"type\":\"t\",\"data\":}", "{'type':'t','data':1}",
            "{type:\"t\",data:1}", "{\"type\":\"t\",\"data\":1}}", "{\"type\":\"t\",\"data\":1,}", "{\"type\":\"t\",\"data\":1} trailing",
            "{\"type\":\"t\",\"data\":NaN}", "{\"type\":\"t\",\"data\":Infinity}", "{\"type\":\"t\",\"data\":-}", "{\"type\":\"t\",\"data\":01}",
            "{\"type\":\"t\",\"data\":\"\\x41\"}", "{\"type\":\"t\",\"data\":\"\\u12\"}", "/*c*/{\"type\":\"t\",\"data\":1}",
            "{\"type\":\"t\"\"data\":1}", "{\"type\":\"t\",\"data\":\"unterminated}", "{\"type\":\"t\",\"data\":tru}",
            "{\"type\":\"t\",\"data\":\"a\nb\"}", "\"just a string\"", "42", "null", "true", "[]", "[{\"type\":\"t\",\"data\":1}]",
            "{\"type\":\"t\",\"data\":1,\"type\":\"u\"}", "{\"type\":\"t\",\"data\":1,\"data\":2}", "{\"data\":1}", "{\"type\":\"t\"}",
            "{\"type\":\"t\",\"data\":1,\"extra\":true}", "{\"\\u0000type\":\"t\",\"data\":1}", "{\"type\":1,\"data\":1}",
            "{\"type\":true,\"data\":1}", "{\"type\":null,\"data\":1}", "{\"type\":[],\"data\":1}", "{\"type\":{},\"data\":1}",
            "{\"type\":\"t\",\"data\":\"\\ud800\"}", "{\"type\":\"t\",\"data\":{\"\\udc00\":1}}", "{\"type\":\"t\",\"data\":1,\"idempotencyKey\":\"k\"}"];
        for (var i = 0; i < malformed.Length; i++)
        {
            yield return Case($"#{i:00} {Label(malformed[i])}", Utf8(malformed[i]));
        }

        foreach (var cut in new[] { 1, 5, 9, 10, 15, 20, 31, 40, 50, ValidSingle.Length - 1 })
        {
            yield return Case($"truncated to {cut} bytes", Utf8(ValidSingle[..cut]));
        }

        yield return Case("type of 100000 chars", Utf8($$"""{"type":"{{new string('t', 100_000)}}","data":1}"""));
        yield return Case("data string of 70000 chars", Utf8($$"""{"type":"t","data":"{{new string('d', 70_000)}}"}"""));
        yield return Case("data array of 100000 items", Utf8($$"""{"type":"t","data":[{{string.Join(',', Enumerable.Repeat('0', 100_000))}}]}"""));
        yield return Case("unknown property name of 50000 chars", Utf8($$"""{"{{new string('p', 50_000)}}":1,"type":"t","data":1}"""));
        yield return Case("body of 5 MB", Utf8($$"""{"type":"t","data":"{{new string('d', 5_000_000)}}"}"""));
        yield return Case("body of 4 MB of white space", Utf8(new string(' ', 4 * 1024 * 1024) + ValidSingle));
        foreach (var depth in new[] { 65, 1_000, 100_000 })
        {
            yield return Case($"data nested {depth} deep", Utf8($$"""{"type":"t","data":{{Nested(depth)}}}"""));
            yield return Case($"unknown property nested {depth} deep", Utf8($$"""{"x":{{Nested(depth)}},"type":"t","data":1}"""));
        }

        yield return Case("body nested 100000 objects deep", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 100_000)) + "1" + new string('}', 100_000)));
        yield return Case("invalid UTF-8 byte in type", Bytes("{\"type\":\"t", new byte[] { 0xff }, "\",\"data\":1}"));
        yield return Case("overlong UTF-8 slash in data", Bytes("{\"type\":\"t\",\"data\":\"", new byte[] { 0xc0, 0xaf }, "\"}"));
        yield return Case("UTF-8-encoded surrogate in data", Bytes("{\"type\":\"t\",\"data\":\"", new byte[] { 0xed, 0xa0, 0x80 }, "\"}"));
        yield return Case("truncated UTF-8 sequence in data", Bytes("{\"type\":\"t\",\"data\":\"", new byte[] { 0xf0, 0x9f }, "\"}"));
        yield return Case("raw NUL byte in body", Bytes("{\"type\":\"t\",\"data\":\"a", new byte[] { 0 }, "b\"}"));
        yield return Case("raw control bytes between tokens", Bytes("{", new byte[] { 1, 2, 3 }, "\"type\":\"t\",\"data\":1}"));
        yield return Case("UTF-16 body", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(ValidSingle)).ToArray());
        yield return Case("UTF-8 BOM before the body", Encoding.UTF8.GetPreamble().Concat(Utf8(ValidSingle)).ToArray(), HttpExpectation.NotServerError);
        yield return Case("data with NUL, BOM, RTL and zero-width escapes", Utf8("""{"type":"t","data":"\u0000\ufeff\u202e\u200b\u200d"}"""), HttpExpectation.NotServerError);
        yield return Case("data with raw RTL and zero-width characters", Utf8("{\"type\":\"t\",\"data\":\"a\u202eb\u200bc\ufeff\"}"), HttpExpectation.NotServerError);
        yield return Case("data with SQL and paths", Utf8("""{"type":"t","data":{"q":"'; DROP TABLE room_events; --","p":"../../etc/passwd","e":"%2F%00"}}"""), HttpExpectation.NotServerError);
        yield return Case("data number 1e999", Utf8("""{"type":"t","data":1e999}"""), HttpExpectation.NotServerError);
        yield return Case("data number with 10000 digits", Utf8($$"""{"type":"t","data":{{new string('9', 10_000)}}}"""), HttpExpectation.NotServerError);
    }

    private static IEnumerable<HostileHttpCase> BatchBodies()
    {
        HostileHttpCase Case(string name, string body) => new($"batch body {name}", HttpMethod.Post, "/v1/events", Utf8(body));
        var item = $$"""{"room":"{{Target}}","type":"t","data":1}""";
        yield return Case("events an object", """{"events":{}}""");
        yield return Case("events a string", """{"events":"all"}""");
        yield return Case("events null", """{"events":null}""");
        yield return Case("events a number", """{"events":5}""");
        yield return Case("events empty", """{"events":[]}""");
        yield return Case("events missing", "{}");
        yield return Case("501 events", $$"""{"events":[{{string.Join(',', Enumerable.Repeat(item, 501))}}]}""");
        yield return Case("100000 events", $$"""{"events":[{{string.Join(',', Enumerable.Repeat("1", 100_000))}}]}""");
        yield return Case("a null item", $$"""{"events":[{{item}},null]}""");
        yield return Case("a number item", $$"""{"events":[{{item}},7]}""");
        yield return Case("an array item", $$"""{"events":[[{{item}}]]}""");
        yield return Case("item without room", """{"events":[{"type":"t","data":1}]}""");
        yield return Case("item with room a number", """{"events":[{"room":5,"type":"t","data":1}]}""");
        yield return Case("item with data 1000 deep", $$"""{"events":[{"room":"{{Target}}","type":"t","data":{{Nested(1_000)}}}]}""");
        yield return Case("item with an unknown property", $$"""{"events":[{"room":"{{Target}}","type":"t","data":1,"seq":1}]}""");
        yield return Case("item with room twice", $$"""{"events":[{"room":"{{Target}}","room":"x","type":"t","data":1}]}""");
        yield return Case("events twice", $$"""{"events":[{{item}}],"events":[{{item}}]}""");
        yield return Case("events nested 100000 deep", $$"""{"events":{{Nested(100_000)}}}""");
        yield return Case("truncated after the first item", $$"""{"events":[{{item}},""");
        yield return Case("idempotencyKey a number", $$"""{"events":[{"room":"{{Target}}","type":"t","data":1,"idempotencyKey":5}]}""");
        yield return Case("idempotencyKey of 129 chars", $$"""{"events":[{"room":"{{Target}}","type":"t","data":1,"idempotencyKey":"{{new string('k', 129)}}"}]}""");
    }

    private static IEnumerable<HostileHttpCase> BroadcastBodies()
    {
        HostileHttpCase Case(string name, string body) => new($"broadcast body {name}", HttpMethod.Post, "/v1/broadcast", Utf8(body));
        yield return Case("rooms missing", """{"type":"t","data":1}""");
        yield return Case("rooms an object", """{"rooms":{},"type":"t","data":1}""");
        yield return Case("rooms a string", $$"""{"rooms":"{{Target}}","type":"t","data":1}""");
        yield return Case("rooms null", """{"rooms":null,"type":"t","data":1}""");
        yield return Case("rooms empty", """{"rooms":[],"type":"t","data":1}""");
        yield return Case("1001 rooms", $$"""{"rooms":[{{string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"hostile:b{i}\""))}}],"type":"t","data":1}""");
        yield return Case("a room twice", $$"""{"rooms":["{{Target}}","{{Target}}"],"type":"t","data":1}""");
        yield return Case("a null room", $$"""{"rooms":["{{Target}}",null],"type":"t","data":1}""");
        yield return Case("a number room", """{"rooms":[1,2],"type":"t","data":1}""");
        yield return Case("nested rooms", $$"""{"rooms":[["{{Target}}"]],"type":"t","data":1}""");
        yield return Case("type missing", $$"""{"rooms":["{{Target}}"],"data":1}""");
        yield return Case("data missing", $$"""{"rooms":["{{Target}}"],"type":"t"}""");
        yield return Case("data 100000 deep", $$"""{"rooms":["{{Target}}"],"type":"t","data":{{Nested(100_000)}}}""");
        yield return Case("an idempotencyKey property", $$"""{"rooms":["{{Target}}"],"type":"t","data":1,"idempotencyKey":"k"}""");
        yield return Case("truncated", $$"""{"rooms":["{{Target}}"],"type":"t","da""");
    }

    private static IEnumerable<HostileHttpCase> HistoryQueries()
    {
        string[] bad = ["after=-1", "after=abc", "after=1.5", "after=1e3", "after=99999999999999999999", "after=", "after=%00", "after=0x10",
            "after=%27%3B%20DROP%20TABLE%20room_events%3B--", "after=%E2%80%AE1", "after=%EF%BC%91", "limit=0", "limit=1001",
            "limit=-5", "limit=abc", "limit=", "limit=1e2", "after=1&after=2", "limit=1&limit=2", "after=%ff"];
        foreach (var query in bad)
        {
            yield return new($"history query {query}", HttpMethod.Get, $"/v1/rooms/{Target}/events?{query}", null);
        }

        // after=1%00 is answered like after=1 (.NET integer parsing ignores trailing NULs): lenient, not harmful.
        foreach (var query in new[] { "after[]=1", "unknown=%00", "=1", "&&&", "after", "limit", "after=1%00" })
        {
            yield return new($"history query {query}", HttpMethod.Get, $"/v1/rooms/{Target}/events?{query}", null, HttpExpectation.NotServerError);
        }

        yield return new("history query of 20000 chars", HttpMethod.Get, $"/v1/rooms/{Target}/events?x={new string('x', 20_000)}", null, HttpExpectation.ClientError);
    }

    private static IEnumerable<HostileHttpCase> NodesAndMethods()
    {
        yield return new("nodes query junk", HttpMethod.Get, "/v1/nodes?x=%00&y=%27%3B--", null, HttpExpectation.NotServerError);
        yield return new("nodes POST", HttpMethod.Post, "/v1/nodes", Utf8("{}"));
        yield return new("nodes DELETE", HttpMethod.Delete, "/v1/nodes", null);
        yield return new("nodes path-ish", HttpMethod.Get, "/v1/nodes/..%2F..%2Fhealth", null, HttpExpectation.ClientError);
        yield return new("nodes with a sub-path", HttpMethod.Get, "/v1/nodes/x", null);
        yield return new("nodes without a key", HttpMethod.Get, "/v1/nodes", null, Authorized: false);
        yield return new("presence POST", HttpMethod.Post, $"/v1/rooms/{Target}/presence", Utf8("{}"));
        yield return new("presence stats DELETE", HttpMethod.Delete, $"/v1/rooms/{Target}/presence/stats", null);
        yield return new("room events PUT", HttpMethod.Put, $"/v1/rooms/{Target}/events", Utf8(ValidSingle));
        yield return new("room events PATCH", HttpMethod.Patch, $"/v1/rooms/{Target}/events", Utf8(ValidSingle));
        yield return new("batch GET", HttpMethod.Get, "/v1/events", null);
        yield return new("broadcast DELETE", HttpMethod.Delete, "/v1/broadcast", null);
        yield return new("method TRACE", HttpMethod.Trace, $"/v1/rooms/{Target}/events", null, HttpExpectation.ClientError);
        yield return new("method garbage", new HttpMethod("FOO"), $"/v1/rooms/{Target}/events", null, HttpExpectation.ClientError);
        yield return new("unknown version route", HttpMethod.Get, "/v2/rooms/a/events", null);
    }

    private static IEnumerable<HostileHttpCase> HeaderCases()
    {
        var single = $"/v1/rooms/{Target}/events";
        var body = Utf8(ValidSingle);
        var batch = Utf8($$"""{"events":[{"room":"{{Target}}","type":"t","data":1}]}""");
        HostileHttpCase Case(string name, Action<HttpRequestMessage>? headers, string? contentType = "application/json",
            bool authorized = true, string path = "", byte[]? content = null, HttpExpectation expectation = HttpExpectation.Problem) =>
            new($"headers {name}", HttpMethod.Post, path.Length > 0 ? path : single, content ?? body, expectation, contentType, headers, authorized);

        yield return Case("no Authorization", null, authorized: false);
        yield return Case("Authorization scheme only", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer"), authorized: false);
        yield return Case("Authorization Basic", r => r.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz"), authorized: false);
        yield return Case("Authorization of 10000 chars", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + new string('k', 10_000)), authorized: false);
        yield return Case("Authorization with control characters", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer a\u0001b\u0007"), authorized: false, expectation: HttpExpectation.ClientError);
        yield return Case("Authorization SQL-ish", r => r.Headers.TryAddWithoutValidation("Authorization", "Bearer ' OR '1'='1"), authorized: false);
        yield return Case("Authorization twice", r => r.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + FanoutStack.ApiKey, "Bearer other"]), authorized: false);
        yield return Case("Content-Type missing", null, contentType: null);
        yield return Case("Content-Type text/plain", null, contentType: "text/plain");
        yield return Case("Content-Type charset latin1", null, contentType: "application/json; charset=iso-8859-1");
        yield return Case("Content-Type charset utf-16", null, contentType: "application/json; charset=utf-16");
        yield return Case("Content-Type garbage", null, contentType: ";;;==\u0001", expectation: HttpExpectation.ClientError);
        yield return Case("Content-Type form", null, contentType: "application/x-www-form-urlencoded", content: Utf8("type=t&data=1"));
        yield return Case("Content-Type multipart", null, contentType: "multipart/form-data; boundary=x", content: Utf8("--x\r\n\r\n{}\r\n--x--"));
        yield return Case("Content-Type twice", r => r.Content!.Headers.TryAddWithoutValidation("Content-Type", "text/plain"));
        // HttpClient joins repeated values into one header line ("a, b"): a legal printable-ASCII key.
        yield return Case("Idempotency-Key of two comma-joined values", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", ["a", "b"]),
            expectation: HttpExpectation.NotServerError);
        yield return Case("Idempotency-Key of 129 chars", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 129)));
        yield return Case("Idempotency-Key with control characters", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", "k\u0001\u007f"), expectation: HttpExpectation.ClientError);
        yield return Case("Idempotency-Key empty", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", string.Empty));
        yield return Case("Idempotency-Key on batch", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", "k"), path: "/v1/events", content: batch);
        yield return Case("Idempotency-Key on broadcast", r => r.Headers.TryAddWithoutValidation("Idempotency-Key", "k"), path: "/v1/broadcast",
            content: Utf8($$"""{"rooms":["{{Target}}"],"type":"t","data":1}"""));
        yield return Case("chunked body of 5 MB", r =>
        {
            r.Content = new StreamContent(new MemoryStream(Utf8($$"""{"type":"t","data":"{{new string('d', 5_000_000)}}"}""")));
            r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            r.Headers.TransferEncodingChunked = true;
        });
        yield return Case("10000 junk headers of 100 chars wrapped in bad JSON", r =>
        {
            for (var i = 0; i < 100; i++)
            {
                r.Headers.TryAddWithoutValidation($"X-Junk-{i}", new string('j', 100));
            }
        }, content: Utf8("{"), expectation: HttpExpectation.ClientError);
    }

    private static string Label(string text)
    {
        var printable = new string(text.Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return printable.Length <= 50 ? printable : printable[..50] + "…";
    }
}
