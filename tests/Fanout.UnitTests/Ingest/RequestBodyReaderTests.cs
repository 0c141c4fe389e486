using System.Text;
using Fanout.Ingest.Options;
using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http;

namespace Fanout.UnitTests.Ingest;

public sealed class RequestBodyReaderTests
{
    private const int Limit = 4096;

    private readonly RequestBodyReader _reader = new(Microsoft.Extensions.Options.Options.Create(new IngestOptions { MaxRequestBytes = Limit }), new Fanout.Contracts.Validation.EventDataRules(MaxDepth: 4));

    private static DefaultHttpContext Request(Stream body, string? contentType = "application/json", long? length = null)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.ContentLength = length;
        context.Request.Body = body;
        return context;
    }

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task AValidBodyIsParsed()
    {
        var result = await _reader.ReadAsync(Request(Bytes("""{"type":"t","data":[1]}""")).Request, 1, CancellationToken.None);

        result.Error.ShouldBeNull();
        using var body = result.Body!;
        body.Root.GetProperty("type").GetString().ShouldBe("t");
    }

    [Fact]
    public async Task ADeclaredLengthOverTheLimitIs413WithoutReading()
    {
        var body = new CountingStream(Limit * 10);

        var result = await _reader.ReadAsync(Request(body, length: Limit * 10).Request, 1, CancellationToken.None);

        result.Error!.Status.ShouldBe(413);
        body.BytesRead.ShouldBe(0);
    }

    [Fact]
    public async Task AnUndeclaredLengthIsReadNoFurtherThanOneByteOverTheLimit()
    {
        var body = new CountingStream(Limit * 100);

        var result = await _reader.ReadAsync(Request(body).Request, 1, CancellationToken.None);

        result.Error!.Status.ShouldBe(413);
        result.Error.Detail.ShouldBe($"The request body is more than {Limit} bytes; the limit is {Limit} (setting Ingest:MaxRequestBytes).");
        body.BytesRead.ShouldBe(Limit + 1);
    }

    [Fact]
    public async Task ABodyOfExactlyTheLimitIsRead()
    {
        var json = "{\"data\":\"" + new string('x', Limit - 11) + "\"}";
        Encoding.UTF8.GetByteCount(json).ShouldBe(Limit);

        var result = await _reader.ReadAsync(Request(Bytes(json)).Request, 1, CancellationToken.None);

        result.Error.ShouldBeNull();
        result.Body!.Dispose();
    }

    [Theory]
    [InlineData("text/plain", 415)]
    [InlineData(null, 415)]
    public async Task TheContentTypeIsCheckedFirst(string? contentType, int status)
    {
        var result = await _reader.ReadAsync(Request(Bytes("{}"), contentType).Request, 1, CancellationToken.None);

        result.Error!.Status.ShouldBe(status);
    }

    [Theory]
    [InlineData("", "The request body is empty")]
    [InlineData("{\"a\":1", "The request body is not valid JSON (line 1, byte 7)")]
    [InlineData("{\"a\":1}\n{", "The request body is not valid JSON (line 2, byte 1)")]
    [InlineData("{\"data\":[[[[[1]]]]]}", "data nests deeper than 4 levels")]
    [InlineData("[[[[[[[1]]]]]]]", "The request body nests deeper than 4 levels")]
    public async Task ABadBodyIs400(string json, string detail)
    {
        var result = await _reader.ReadAsync(Request(Bytes(json)).Request, 1, CancellationToken.None);

        result.Error!.Status.ShouldBe(400);
        result.Error.Detail.ShouldStartWith(detail);
    }

    [Fact]
    public async Task InvalidUtf8Is400()
    {
        var result = await _reader.ReadAsync(Request(new MemoryStream([(byte)'"', 0xC3, (byte)'"'])).Request, 1, CancellationToken.None);

        result.Error!.Detail.ShouldBe("The request body is not valid UTF-8.");
    }

    /// <summary>An endless body of <c>x</c> after an opening that counts what was read of it.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            BytesRead += n;
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
