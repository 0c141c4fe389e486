using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>The presence routes of the HTTP API (on Ingest), as a backend calls them.</summary>
public sealed class PresenceApi(HttpClient http)
{
    public async Task<RoomPresenceResponse> MembersAsync(string room) =>
        (await Eventually.WithinAsync(http.GetFromJsonAsync<RoomPresenceResponse>($"/v1/rooms/{room}/presence"), $"presence of {room}"))!;

    public async Task<RoomPresenceStatsResponse> StatsAsync(string room) =>
        (await Eventually.WithinAsync(http.GetFromJsonAsync<RoomPresenceStatsResponse>($"/v1/rooms/{room}/presence/stats"), $"presence stats of {room}"))!;

    public async Task<NodesResponse> NodesAsync() =>
        (await Eventually.WithinAsync(http.GetFromJsonAsync<NodesResponse>("/v1/nodes"), "live nodes"))!;

    /// <summary>The room's members as (user id → connections).</summary>
    public async Task<Dictionary<string, int>> MemberCountsAsync(string room) =>
        (await MembersAsync(room)).Members.ToDictionary(m => m.UserId, m => m.Connections, StringComparer.Ordinal);
}
