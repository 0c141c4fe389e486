using Microsoft.Net.Http.Headers;

namespace Fanout.Ingest.Requests;

/// <summary>Accepts <c>application/json</c> and <c>application/*+json</c>, with charset utf-8 or none.</summary>
public static class JsonContentType
{
    private const string Expected = "send Content-Type: application/json (or application/*+json), charset utf-8 or none";

    /// <summary>Null when <paramref name="contentType"/> is acceptable, else a 415 saying what to send.</summary>
    public static RequestError? Check(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return RequestError.UnsupportedMediaType($"The request has no Content-Type; {Expected}.");
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return RequestError.UnsupportedMediaType($"Content-Type is malformed; {Expected}.");
        }

        var isJson = media.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
            && (media.SubType.Equals("json", StringComparison.OrdinalIgnoreCase)
                || media.SubType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson)
        {
            return RequestError.UnsupportedMediaType($"Content-Type {media.MediaType} is not JSON; {Expected}.");
        }

        var charset = HeaderUtilities.RemoveQuotes(media.Charset);
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return RequestError.UnsupportedMediaType($"charset {charset} is not supported; {Expected}.");
        }

        return null;
    }
}
