using Fanout.Ingest.Api;

namespace Fanout.Ingest.Extensions;

public static class IngestApplicationExtensions
{
    /// <summary>
    /// The middleware, outermost first: unhandled exceptions become a generic 500 problem, bodiless errors
    /// (404, 405) get a problem body, then routing, API key authentication and the key's rate limit (after
    /// authorization, so only requests with a valid key spend tokens, and before any body is read).
    /// </summary>
    public static WebApplication UseIngestPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
