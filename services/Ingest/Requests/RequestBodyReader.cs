using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Fanout.Ingest.Options;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Requests;

/// <summary>
/// Reads a JSON request body: checks the content type, stops reading as soon as the body passes
/// <see cref="IngestOptions.MaxRequestBytes"/> (a huge body is never buffered whole), checks UTF-8 and parses it
/// with a depth limit of the data depth plus the request's own wrapper levels.
/// </summary>
public sealed class RequestBodyReader(IOptions<IngestOptions> options, Fanout.Contracts.Validation.EventDataRules rules)
{
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>A declared length is trusted for the first buffer only up to this; larger bodies grow it as they arrive.</summary>
    private const int MaxInitialBufferBytes = 1024 * 1024;

    private readonly int _maxBytes = options.Value.MaxRequestBytes;
    private readonly int _maxDataDepth = rules.MaxDepth;

    /// <param name="wrapperDepth">Levels of the request shape around an event's data (1 for <c>{"data": …}</c>).</param>
    public async Task<BodyReadResult> ReadAsync(HttpRequest request, int wrapperDepth, CancellationToken cancellationToken)
    {
        if (JsonContentType.Check(request.ContentType) is { } contentTypeError)
        {
            return contentTypeError;
        }

        if (request.ContentLength > _maxBytes)
        {
            return TooLarge(request.ContentLength.Value.ToString());
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = _maxBytes;
        }

        var (buffer, length, readError) = await ReadBoundedAsync(request, cancellationToken);
        if (readError is not null)
        {
            return readError;
        }

        var error = Parse(buffer, length, wrapperDepth, out var document);
        if (error is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return error;
        }

        return new BodyReadResult(new JsonRequestBody(buffer, document!), null);
    }

    private RequestError? Parse(byte[] buffer, int length, int wrapperDepth, out JsonDocument? document)
    {
        document = null;
        var body = buffer.AsMemory(0, length);
        if (length == 0)
        {
            return RequestError.BadRequest("The request body is empty; send a JSON object.");
        }

        if (!Utf8.IsValid(body.Span))
        {
            return RequestError.BadRequest("The request body is not valid UTF-8.");
        }

        var maxDepth = _maxDataDepth + wrapperDepth;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth });
            return null;
        }
        catch (JsonException)
        {
            return JsonSyntaxDiagnosis.Describe(body.Span, maxDepth, wrapperDepth, _maxDataDepth);
        }
    }

    private async Task<(byte[] Buffer, int Length, RequestError? Error)> ReadBoundedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var size = (int)Math.Min(Math.Min(request.ContentLength ?? InitialBufferBytes, MaxInitialBufferBytes), _maxBytes + 1L);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length > _maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return ([], 0, TooLarge($"more than {_maxBytes}"));
                }

                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, length);
                }

                var space = (int)Math.Min(buffer.Length - length, _maxBytes + 1L - length);
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, space), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length, null);
                }

                length += read;
            }
        }
        catch (BadHttpRequestException ex)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return ([], 0, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge($"more than {_maxBytes}")
                : RequestError.BadRequest("The request body could not be read (it ended early or its framing is malformed)."));
        }
    }

    private byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, _maxBytes + 1L));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private RequestError TooLarge(string actual) =>
        RequestError.TooLarge($"The request body is {actual} bytes; the limit is {_maxBytes} (setting Ingest:MaxRequestBytes).");
}
