using System.Net;
using System.Net.Http.Json;
using Fanout.Contracts.Wire;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>
/// Deleting a room's history is a separate permission of the key (<c>Ingest:ApiKeys:{i}:AllowDestructive</c>, off by
/// default): a key that may publish to the room is not enough.
/// </summary>
[Collection(ApiKeyCollection.Name)]
public sealed class DestructivePermissionTests(ApiKeyAppFixture fixture)
{
    [Fact]
    public async Task AKeyThatMayPublishButNotDeleteGets403ProblemDetails()
    {
        using var chat = fixture.CreateClient(ApiKeyAppFixture.ChatKey);
        var room = NewRoom("chat");
        (await chat.PostAsJsonAsync($"/v1/rooms/{room}/events", new { type = "t", data = 1 })).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var response = await chat.DeleteAsync($"/v1/rooms/{room}/events");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "may not delete a room's history");
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("AllowDestructive");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task AKeyAllowedDestructiveOperationsDeletesTheHistory()
    {
        using var admin = fixture.CreateClient(IngestAppFixture.ApiKey);
        var room = NewRoom();

        var response = await admin.DeleteAsync($"/v1/rooms/{room}/events");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<RoomHistoryResponse>()).ShouldNotBeNull().Events.ShouldBeEmpty();
    }
}
