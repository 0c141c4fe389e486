using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fanout.Contracts.Wire;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>The backend side: publishes and reads history over the HTTP API.</summary>
public sealed class IngestClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 256 };

    public HttpClient Http { get; } = http;

    public async Task<string> PublishAsync(string room, string type, object? data, string? idempotencyKey = null)
    {
        using var response = await SendPublishAsync(room, type, data, idempotencyKey);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new HttpRequestException($"Publish to {room}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<PublishEventResponse>(Json))!.Id;
    }

    public Task<HttpResponseMessage> SendPublishAsync(string room, string type, object? data, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/rooms/{Uri.EscapeDataString(room)}/events")
        {
            Content = JsonContent.Create(new { type, data }, options: Json),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request);
    }

    /// <summary>
    /// Waits until the room's history holds at least <paramref name="lastSeq"/> events: a <c>202</c> means durably
    /// accepted, and storing follows a moment later.
    /// </summary>
    public Task WaitForStoredAsync(string room, long lastSeq, TimeSpan? timeout = null) =>
        Fanout.Testing.Eventually.HoldsAsync(
            async () => (await ReadAllAsync(room)).Last.LastSeq >= lastSeq,
            $"{room} has {lastSeq} events stored",
            timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>The room's whole history, page by page.</summary>
    public async Task<(RoomHistoryResponse Last, List<RoomEvent> Events)> ReadAllAsync(string room)
    {
        var events = new List<RoomEvent>();
        long after = 0;
        while (true)
        {
            var page = (await Http.GetFromJsonAsync<RoomHistoryResponse>(
                $"/v1/rooms/{Uri.EscapeDataString(room)}/events?after={after}&limit=1000", Json))!;
            events.AddRange(page.Events);
            if (page.Events.Count == 0 || page.Events[^1].Seq >= page.LastSeq)
            {
                return (page, events);
            }

            after = page.Events[^1].Seq;
        }
    }

    public void Dispose() => Http.Dispose();
}
