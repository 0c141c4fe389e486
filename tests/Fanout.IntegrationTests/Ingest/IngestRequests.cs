using System.Net.Http.Headers;
using System.Text;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Builds requests byte for byte, as a misbehaving client might send them.</summary>
public static class IngestRequests
{
    public static HttpRequestMessage Post(string path, string json, string? contentType = "application/json") =>
        Post(path, Encoding.UTF8.GetBytes(json), contentType);

    public static HttpRequestMessage Post(string path, byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    public static string NewRoom(string prefix = "room") => $"{prefix}:{Guid.NewGuid():N}";
}
