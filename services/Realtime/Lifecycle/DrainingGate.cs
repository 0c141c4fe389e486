namespace Fanout.Realtime.Lifecycle;

/// <summary>While the node drains, new hub requests (negotiate, connect) get 503 with <c>Retry-After</c>.</summary>
public sealed class DrainingGate(RequestDelegate next, DrainState state)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!state.IsDraining || !context.Request.Path.StartsWithSegments(Extensions.RealtimeServiceCollectionExtensions.HubPath))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = "1";
        return context.Response.WriteAsync("This node is shutting down; connect to another node.");
    }
}
