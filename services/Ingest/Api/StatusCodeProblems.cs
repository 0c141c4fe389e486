using Microsoft.AspNetCore.Diagnostics;

namespace Fanout.Ingest.Api;

/// <summary>Gives a bodiless error response (no route, wrong method) a problem body saying what exists.</summary>
public static class StatusCodeProblems
{
    private const string Routes =
        "POST /v1/rooms/{room}/events, GET /v1/rooms/{room}/events, DELETE /v1/rooms/{room}/events, POST /v1/events, POST /v1/broadcast, " +
        "GET /v1/rooms/{room}/presence, GET /v1/rooms/{room}/presence/stats, GET /v1/nodes";

    public static Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var request = http.Request;
        var path = Shorten(request.Path.Value ?? "/");
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            StatusCodes.Status404NotFound => $"No route matches {path}. The routes are: {Routes}.",
            StatusCodes.Status405MethodNotAllowed =>
                $"{request.Method} is not allowed on {path}; allowed: {http.Response.Headers.Allow}.",
            _ => null,
        };
        return TypedResults.Problem(detail, statusCode: status).ExecuteAsync(http);
    }

    private static string Shorten(string path) => path.Length > 200 ? path[..200] + "…" : path;
}
