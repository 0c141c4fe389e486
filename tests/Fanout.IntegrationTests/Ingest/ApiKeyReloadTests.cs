using System.Net;
using Fanout.Testing;
using Microsoft.Extensions.Logging;
using static Fanout.IntegrationTests.Ingest.IngestRequests;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Rotating keys needs no restart: Ingest follows its key file while it runs.</summary>
public sealed class ApiKeyReloadTests(ReloadableKeysFixture fixture) : IClassFixture<ReloadableKeysFixture>
{
    private const string NewKey = "rotated-in-key-0123456789";
    private const string OldKey = "rotated-out-key-0123456789";

    [Fact]
    public async Task AKeyAddedToTheKeyFileIsAcceptedWithoutARestart()
    {
        var key = $"added-{Guid.NewGuid():N}";
        (await StatusWithAsync(key)).ShouldBe(HttpStatusCode.Unauthorized);

        fixture.WriteKeys(("test", IngestAppFixture.ApiKey), ("added", key));

        await WaitForStatusAsync(key, HttpStatusCode.OK, "the added key is accepted");
        (await StatusWithAsync(IngestAppFixture.ApiKey)).ShouldBe(HttpStatusCode.OK, "the key that stayed still works");
    }

    [Fact]
    public async Task RotatingAKeyOverlapsOldAndNewThenRefusesTheRemovedOne()
    {
        fixture.WriteKeys(("test", IngestAppFixture.ApiKey), ("backend-v1", OldKey));
        await WaitForStatusAsync(OldKey, HttpStatusCode.OK, "the old key is accepted");

        fixture.WriteKeys(("test", IngestAppFixture.ApiKey), ("backend-v1", OldKey), ("backend-v2", NewKey));
        await WaitForStatusAsync(NewKey, HttpStatusCode.OK, "the new key is accepted");
        (await StatusWithAsync(OldKey)).ShouldBe(HttpStatusCode.OK, "while both are configured, both work");

        fixture.WriteKeys(("test", IngestAppFixture.ApiKey), ("backend-v2", NewKey));
        await WaitForStatusAsync(OldKey, HttpStatusCode.Unauthorized, "the removed key is refused");
        (await StatusWithAsync(NewKey)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnInvalidChangeIsLoggedAndThePreviousKeysStayInForce()
    {
        var previous = $"previous-{Guid.NewGuid():N}";
        var ignored = $"ignored-{Guid.NewGuid():N}";
        fixture.WriteKeys(("test", IngestAppFixture.ApiKey), ("previous", previous));
        await WaitForStatusAsync(previous, HttpStatusCode.OK, "the valid set is in force");
        var logged = fixture.Logs.Entries.Count;

        // A valid new key beside a name used twice: the whole set is refused, not half of it applied.
        fixture.WriteEntries(
            new { Name = "test", Hash = IngestAppFixture.HashOf(IngestAppFixture.ApiKey) },
            new { Name = "ignored", Hash = IngestAppFixture.HashOf(ignored) },
            new { Name = "test", Hash = "not-a-hash" });

        LogCapture.LogEntry? error = null;
        await Eventually.HoldsAsync(
            () => (error = fixture.Logs.Entries.Skip(logged).FirstOrDefault(e => e.EventId.Id == 4012)) is not null,
            "the refused change is logged");
        error!.Level.ShouldBe(LogLevel.Error);
        error.Message.ShouldContain("Ingest:ApiKeys:2:Hash must be the SHA-256");
        error.Message.ShouldContain("Ingest:ApiKeys:2:Name 'test' is used by another key");
        error.Message.ShouldNotContain(ignored);
        (await StatusWithAsync(previous)).ShouldBe(HttpStatusCode.OK, "the previous set stays in force");
        (await StatusWithAsync(ignored)).ShouldBe(HttpStatusCode.Unauthorized, "nothing of the invalid set is applied");

        fixture.WriteKeys(("test", IngestAppFixture.ApiKey));
        await WaitForStatusAsync(previous, HttpStatusCode.Unauthorized, "a valid change after an invalid one applies");
    }

    private async Task<HttpStatusCode> StatusWithAsync(string key)
    {
        using var client = fixture.CreateClient(key);
        return (await client.GetAsync($"/v1/rooms/{NewRoom()}/events")).StatusCode;
    }

    private Task WaitForStatusAsync(string key, HttpStatusCode status, string what) =>
        Eventually.HoldsAsync(async () => await StatusWithAsync(key) == status, what);
}
