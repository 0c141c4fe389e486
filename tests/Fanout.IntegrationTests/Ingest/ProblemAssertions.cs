using System.Net;
using System.Text.Json;

namespace Fanout.IntegrationTests.Ingest;

/// <summary>Checks that an error answer is an RFC 7807 problem that explains itself and leaks nothing.</summary>
public static class ProblemAssertions
{
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? detailContains = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        body.ShouldNotContain("   at ", Case.Sensitive, "a stack trace leaked");
        body.ShouldNotContain("Exception", Case.Sensitive, "an exception leaked");

        using var document = JsonDocument.Parse(body);
        var problem = document.RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        if (detailContains is not null)
        {
            problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain(detailContains, Case.Sensitive);
        }

        return problem;
    }
}
