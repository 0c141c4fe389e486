using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fanout.ServiceDefaults.Tracing;

/// <summary>
/// Names and tags the span ASP.NET Core records for a request, as the OpenTelemetry HTTP conventions have it
/// (<c>POST /v1/rooms/{room}/events</c>, <c>http.request.method</c>, <c>http.route</c>, <c>http.response.status_code</c>,
/// error for 5xx): without the ASP.NET Core instrumentation package (not available here) the span has only the name
/// <c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c>. Health and metrics requests are not recorded. Runs first in the
/// pipeline; for requests that are not recorded (tracing off, or not sampled) it only reads <see cref="Activity.Current"/>
/// and hands the request on without an async frame of its own, so a long-lived request (a WebSocket) holds nothing of it.
/// </summary>
public sealed class RequestSpans : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static nextMiddleware => context =>
        {
            var activity = Activity.Current;
            if (activity is not { IsAllDataRequested: true } || activity.Source.Name != "Microsoft.AspNetCore")
            {
                return nextMiddleware(context);
            }

            if (IsOperational(context.Request.Path))
            {
                activity.IsAllDataRequested = false;
                activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
                return nextMiddleware(context);
            }

            return RecordAsync(activity, context, nextMiddleware);
        });
        next(app);
    };

    /// <summary>Runs the rest of the pipeline, then describes the span (the only case that waits for the request).</summary>
    private static async Task RecordAsync(Activity activity, HttpContext context, RequestDelegate nextMiddleware)
    {
        try
        {
            await nextMiddleware(context);
        }
        finally
        {
            Describe(activity, context);
        }
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);

    private static void Describe(Activity activity, HttpContext context)
    {
        var request = context.Request;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var status = context.Response.StatusCode;
        activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        activity.SetTag("http.route", route);
        activity.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
