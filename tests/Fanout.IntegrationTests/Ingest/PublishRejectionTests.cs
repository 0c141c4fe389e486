using System.Net;
using System.Text;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Every way to get <c>POST /v1/rooms/{room}/events</c> wrong, and the answer that says what to fix.</summary>
[Collection(RejectionCollection.Name)]
public sealed class PublishRejectionTests(SmallBodyLimitFixture fixture)
{
    private const string ValidBody = """{"type":"t","data":1}""";

    private readonly HttpClient _client = fixture.CreateClient();

    /// <summary>Paths as the server sees them after percent-decoding (an encoded slash stays encoded).</summary>
    public static TheoryData<string, string> BadRooms => new()
    {
        { "/v1/rooms/a b/events", "room has a character outside A-Z a-z 0-9 _ - . : at position 1" },
        { "/v1/rooms/a\u0001b/events", "room has a character outside A-Z a-z 0-9 _ - . : at position 1" },
        { "/v1/rooms/a\nb/events", "room has a character outside" },
        { "/v1/rooms/\u0000/events", "room has a character outside" },
        { "/v1/rooms/a\u007Fb/events", "room has a character outside" },
        { "/v1/rooms/café/events", "room has a character outside A-Z a-z 0-9 _ - . : at position 3" },
        { "/v1/rooms/a%2Fb/events", "room has a character outside" },
        { "/v1/rooms/./events", "room must not be '.' or '..'" },
        { "/v1/rooms/../events", "room must not be '.' or '..'" },
        { $"/v1/rooms/{new string('r', 129)}/events", "room is 129 characters long; the limit is 128" },
    };

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"data":1}""", "type is required" },
        { """{"type":null,"data":1}""", "type is required" },
        { """{"type":"","data":1}""", "type is required" },
        { """{"type":7,"data":1}""", "type must be a string, not a number" },
        { """{"type":"a b","data":1}""", "type has a character outside A-Z a-z 0-9 _ - . : at position 1" },
        { """{"type":"a\u0000b","data":1}""", "type has a character outside" },
        { """{"type":"\ud800","data":1}""", "type is not valid Unicode" },
        { $$"""{"type":"{{new string('t', 65)}}","data":1}""", "type is 65 characters long; the limit is 64" },
        { """{"type":"t"}""", "data is required" },
        { """{"type":"t","data":"\ud800"}""", "data has a string that is not valid UTF-8 or contains a lone surrogate" },
        { """{"type":"t","data":"\udc00x"}""", "lone surrogate" },
        { """{"type":"t","data":{"\ud800":1}}""", "data has a property name that is not valid Unicode" },
        { """{"type":"t","data":1,"extra":true}""", "unknown property 'extra'; expected type, data" },
        { """{"Type":"t","data":1}""", "unknown property 'Type'" },
        { """{"type":"t","type":"u","data":1}""", "has the property 'type' more than once" },
        { """[{"type":"t","data":1}]""", "The request body must be a JSON object, not an array" },
        { "\"text\"", "The request body must be a JSON object, not a string" },
        { "", "The request body is empty" },
        { """{"type":"t","data":""", "The request body is not valid JSON" },
        { """{"type":"t","data":{"a":[1,2""", "The request body is not valid JSON" },
        { """{"type":"t","data":1}}""", "The request body is not valid JSON" },
        { """{"type":"t","data":1,}""", "The request body is not valid JSON" },
        { """{'type':'t','data':1}""", "The request body is not valid JSON" },
        { """{"type":"t","data":NaN}""", "The request body is not valid JSON" },
        { """{"type":"t","data":"a<tab>b"}""".Replace("<tab>", "\t", StringComparison.Ordinal), "The request body is not valid JSON" },
        { """{"type":"t","data":1} // comment""", "The request body is not valid JSON" },
        { $$"""{"type":"t","data":{{new string('[', 65)}}{{new string(']', 65)}}}""", "data nests deeper than 64 levels" },
        { $$"""{"type":"t","data":{{Nested(200)}}}""", "data nests deeper than 64 levels" },
        { $$"""{"type":"t","data":{{new string('[', 20_000)}}""", "data nests deeper than 64 levels" },
    };

    [Theory]
    [MemberData(nameof(BadRooms))]
    public async Task AnInvalidRoomInThePathIs400(string path, string detail)
    {
        var post = await fixture.SendRawAsync("POST", path, ValidBody);
        await post.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);

        var get = await fixture.SendRawAsync("GET", path);
        await get.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task AnInvalidBodyIs400WithADetailThatSaysWhatToFix(string body, string detail)
    {
        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, detail);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    public async Task InvalidUtf8BytesInTheBodyAre400(byte[] bad)
    {
        var body = Encoding.UTF8.GetBytes("""{"type":"t","data":"x""").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();

        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "not valid UTF-8");
    }

    [Fact]
    public async Task InvalidUtf8InAPropertyNameIs400()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"t\",\"data\":{\"").Concat(new byte[] { 0xFE }).Concat(Encoding.UTF8.GetBytes("\":1}}")).ToArray();

        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", body));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "not valid UTF-8");
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    [InlineData("text/json")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData(null)]
    public async Task ABodyThatIsNotUtf8JsonIs415(string? contentType)
    {
        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", ValidBody, contentType));

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "application/json");
    }

    [Fact]
    public async Task ABodyOverTheRequestLimitIs413()
    {
        var body = $$"""{"type":"t","data":"{{new string('x', SmallBodyLimitFixture.MaxRequestBytes)}}"}""";

        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", body));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "Ingest:MaxRequestBytes");
    }

    [Fact]
    public async Task ABodyOfUnknownLengthIsCutOffAtTheRequestLimitWith413()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/rooms/{NewRoom()}/events")
        {
            Content = new StreamContent(new UnsizedJsonStream(2 * SmallBodyLimitFixture.MaxRequestBytes)),
        };
        request.Content.Headers.ContentType = new("application/json");

        var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, $"more than {SmallBodyLimitFixture.MaxRequestBytes} bytes");
    }

    [Fact]
    public async Task DataOverTheDataLimitIs413()
    {
        var body = $$"""{"type":"t","data":"{{new string('x', 65_536)}}"}""";

        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", body));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "data is 65538 bytes as compact JSON; the limit is 65536");
    }

    [Fact]
    public async Task WhiteSpaceDoesNotCountAgainstTheDataLimit()
    {
        var data = "[" + string.Join(",    ", Enumerable.Repeat("1", 30_000)) + "]";

        var response = await _client.SendAsync(Post($"/v1/rooms/{NewRoom()}/events", $$"""{"type":"t","data":{{data}}}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("ключ")]
    [InlineData("tab\there")]
    public async Task AnInvalidIdempotencyKeyHeaderIs400(string key)
    {
        var response = await fixture.SendRawAsync("POST", $"/v1/rooms/{NewRoom()}/events", ValidBody,
            new Dictionary<string, string> { ["Idempotency-Key"] = key });

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key header: idempotency key");
    }

    [Fact]
    public async Task AnIdempotencyKeyOver128CharactersIs400()
    {
        var request = Post($"/v1/rooms/{NewRoom()}/events", ValidBody);
        request.Headers.Add("Idempotency-Key", new string('k', 129));

        var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "idempotency key is 129 characters long; the limit is 128");
    }

    [Fact]
    public async Task ARepeatedIdempotencyKeyHeaderIs400()
    {
        var request = Post($"/v1/rooms/{NewRoom()}/events", ValidBody);
        request.Headers.Add("Idempotency-Key", ["one", "two"]);

        var response = await _client.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "Idempotency-Key must appear at most once");
    }

    private static string Nested(int depth) =>
        string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>A JSON body without a declared length: only reading it shows how large it is.</summary>
    private sealed class UnsizedJsonStream(int length) : Stream
    {
        private readonly byte[] _body = Encoding.UTF8.GetBytes("{\"type\":\"t\",\"data\":\"" + new string('x', length) + "\"}");
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, _body.Length - _position);
            _body.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset, n));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
