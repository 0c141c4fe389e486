using System.Net;
using System.Text;
using System.Text.Json;

namespace Fanout.EndToEnd.Tests.Hostile;

/// <summary>
/// Every Ingest route against hostile input (<see cref="HostileHttpCases"/>): a clear 4xx with problem details (or a
/// legal success), never a 5xx, a stack trace or exception type in the body, a dead process, a changed history or a
/// room that no longer takes events.
/// </summary>
public abstract class HostileHttpTests(HostileStackFixture fixture)
{
    public static TheoryData<string> Cases() => HostileHttpCases.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileRequestGetsAClearClientErrorAndHarmsNothing(string name)
    {
        var hostile = HostileHttpCases.All[name];

        var (status, contentType, body) = await SendAsync(hostile);

        ShouldBeClearAnswer(name, hostile.Expectation, status, contentType, body);
        await fixture.AssertIntactAsync(name);
    }

    [Fact]
    public async Task AFloodOfHostileRequestsGetsOnlyClientErrorsAndHarmsNothing()
    {
        var cases = HostileHttpCases.All.Values.Where(c => c.Body is null || c.Body.Length < 64 * 1024).ToArray();
        // Every wrong answer or failed request of the flood is collected, so that a failure names all of them (which
        // cases, which statuses, which exceptions) instead of the first one only.
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, 3_000),
            new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (i, _) =>
            {
                var hostile = cases[i % cases.Length];
                var name = $"flood #{i}: {hostile.Name}";
                try
                {
                    var (status, contentType, body) = await SendAsync(hostile);
                    if (status != HttpStatusCode.TooManyRequests)
                    {
                        ShouldBeClearAnswer(name, hostile.Expectation, status, contentType, body);
                    }
                }
                catch (Exception ex)
                {
                    problems.Enqueue($"{name}: {ex.GetType().Name}: {Leaks.Shorten(ex.Message)}" +
                        (ex.InnerException is { } inner ? $" ({inner.GetType().Name}: {Leaks.Shorten(inner.Message)})" : string.Empty));
                }
            });

        problems.ShouldBeEmpty($"{problems.Count} of 3000 flood requests went wrong; the first: {string.Join(" || ", problems.Take(8))}");
        await fixture.AssertIntactAsync("the flood");
        // Without the key: readiness is not the key's to spend (a flood may have emptied its bucket).
        using var ready = await fixture.Bare.GetAsync(new Uri(fixture.Stack.Ingest.BaseAddress, "/health/ready"));
        ready.StatusCode.ShouldBe(HttpStatusCode.OK, $"Ingest is ready after the flood: {await ready.Content.ReadAsStringAsync()}");
    }

    private async Task<(HttpStatusCode Status, string? ContentType, string Body)> SendAsync(HostileHttpCase hostile)
    {
        using var request = hostile.ToRequest();
        using var response = await fixture.Bare.SendAsync(request);
        var body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static void ShouldBeClearAnswer(string name, HttpExpectation expectation, HttpStatusCode status, string? contentType, string body)
    {
        var code = (int)status;
        var what = $"{name}: {code} {Leaks.Shorten(body)}";
        code.ShouldBeLessThan(500, what);
        Leaks.ShouldNotLeak(body, name);
        if (expectation == HttpExpectation.NotServerError && code < 400)
        {
            return;
        }

        code.ShouldBeInRange(400, 499, what);
        if (expectation == HttpExpectation.ClientError && body.Length == 0)
        {
            return;
        }

        contentType.ShouldBe("application/problem+json", what);
        using var problem = JsonDocument.Parse(body);
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(code, what);
        (problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : problem.RootElement.GetProperty("title").GetString())
            .ShouldNotBeNullOrWhiteSpace(what);
    }
}

/// <summary>The tests above on the distributed stack.</summary>
[Collection(HostileCollection.Name)]
public sealed class HostileHttpTestsDistributed(DistributedHostileStackFixture fixture) : HostileHttpTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedHostileCollection.Name)]
public sealed class HostileHttpTestsEmbedded(EmbeddedHostileStackFixture fixture) : HostileHttpTests(fixture);
