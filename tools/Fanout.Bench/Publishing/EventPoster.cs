using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Fanout.Bench.Publishing;

/// <summary>
/// Posts bench events to Ingest (<c>POST /v1/rooms/{room}/events</c>) over keep-alive HTTP/1.1 connections.
/// Only a 202 counts as published.
/// </summary>
public sealed class EventPoster : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri[] _roomUris;

    public EventPoster(Uri ingest, string apiKey, IReadOnlyList<string> rooms, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            UseProxy = false,
            UseCookies = false,
        };
        _http = new HttpClient(handler) { BaseAddress = ingest, Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _roomUris = rooms.Select(r => new Uri(ingest, $"/v1/rooms/{Uri.EscapeDataString(r)}/events")).ToArray();
    }

    /// <summary>Posts event <paramref name="k"/>; returns null when it was accepted (202), else why not (it never throws).</summary>
    public async Task<string?> PostAsync(int roomIndex, long k, int phase, double sentAtMs)
    {
        try
        {
            using var request = Request(roomIndex, k, phase, sentAtMs);
            using var response = await _http.SendAsync(request);
            return Outcome(response);
        }
        catch (Exception ex)
        {
            return Failure(ex);
        }
    }

    /// <summary>As <see cref="PostAsync"/>, waiting for the answer on this thread.</summary>
    public string? Post(int roomIndex, long k, int phase, double sentAtMs)
    {
        try
        {
            using var request = Request(roomIndex, k, phase, sentAtMs);
            using var response = _http.Send(request);
            return Outcome(response);
        }
        catch (Exception ex)
        {
            return Failure(ex);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(int roomIndex, long k, int phase, double sentAtMs)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $$$"""{"type":"bench","data":{"t":{{{sentAtMs:F3}}},"k":{{{k}}},"p":{{{phase}}}}}""");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = Json;
        return new HttpRequestMessage(HttpMethod.Post, _roomUris[roomIndex]) { Content = content };
    }

    private static string? Outcome(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Accepted ? null : $"http {(int)response.StatusCode}";

    /// <summary>Why a request failed: the HTTP error kind, "timeout", or the exception's type for anything else.</summary>
    private static string Failure(Exception ex) => ex switch
    {
        HttpRequestException http => http.HttpRequestError.ToString(),
        TaskCanceledException => "timeout",
        _ => ex.GetType().Name,
    };
}
