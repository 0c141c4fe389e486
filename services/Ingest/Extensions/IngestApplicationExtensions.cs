using Fanout.Ingest.Api;

namespace Fanout.Ingest.Extensions;

public static class IngestApplicationExtensions
{
    /// <summary>
    /// The middleware, outermost first: unhandled exceptions become a generic 500 problem, bodiless errors
    /// (404, 405) get a problem body, then routing and API key authentication.
    /// </summary>
    public static WebApplication UseIngestPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
