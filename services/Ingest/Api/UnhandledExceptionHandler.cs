using Microsoft.AspNetCore.Diagnostics;

namespace Fanout.Ingest.Api;

/// <summary>
/// The last resort: a generic 500 problem without any detail of the exception (which is logged), a request the
/// server could not read answers with its status, and a request the client abandoned gets nothing.
/// </summary>
public sealed class UnhandledExceptionHandler(ILogger<UnhandledExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (exception is BadHttpRequestException bad)
        {
            await TypedResults.Problem("The request could not be read; check its framing, headers and size.", statusCode: bad.StatusCode)
                .ExecuteAsync(httpContext);
            return true;
        }

        IngestLog.UnhandledException(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/");
        await TypedResults.Problem("An unexpected error occurred; it has been logged.", statusCode: StatusCodes.Status500InternalServerError)
            .ExecuteAsync(httpContext);
        return true;
    }
}
