using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fanout.WebConsole;

public static class WebConsoleEndpoints
{
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>
    /// Serves the web console at <c>/console/</c> and the demo chat page at <c>/demo/</c>, both open to anyone (no API key:
    /// the console asks for one and sends it as <c>Authorization: Bearer</c> with every API call it makes), with a strict
    /// Content-Security-Policy; <c>/console/config.json</c> (and <c>/demo/config.json</c>): the public settings the pages
    /// need (hub URLs); <c>POST /demo/token</c>: a client token for the demo, in the Development environment only
    /// (<see cref="DemoTokenIssuer"/>), 404 otherwise. Call <see cref="WebConsoleServiceCollectionExtensions.AddFanoutConsole"/> first.
    /// </summary>
    public static IEndpointRouteBuilder MapFanoutConsole(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        var assets = services.GetRequiredService<ConsoleAssets>();
        var hubUrls = services.GetRequiredService<IOptions<WebConsoleOptions>>().Value.EffectiveHubUrls;
        var issuer = services.GetRequiredService<DemoTokenIssuer>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Fanout.WebConsole");
        WebConsoleLog.Serving(logger, string.Join(", ", hubUrls));
        if (issuer.Enabled)
        {
            WebConsoleLog.DemoTokensOn(logger, DemoTokenIssuer.RoomPattern);
        }

        if (!assets.HasClientBundle)
        {
            WebConsoleLog.NoClientBundle(logger);
        }

        var config = JsonSerializer.SerializeToUtf8Bytes(new
        {
            hubUrls,
            demoTokens = issuer.Enabled,
            demoRoomPattern = DemoTokenIssuer.RoomPattern,
            clientBundle = assets.HasClientBundle,
        });

        var group = app.MapGroup(string.Empty).AllowAnonymous();
        foreach (var area in new[] { "console", "demo" })
        {
            // Routing matches /console/ here too (a trailing slash is ignored): only /console itself is redirected, so
            // that the pages' relative URLs resolve under /console/.
            group.MapMethods($"/{area}", GetAndHead, (HttpContext http) => http.Request.Path.Value!.EndsWith('/')
                ? ServeFile(http, assets.Find($"{area}/index.html"), hubUrls)
                : RedirectToFolder(http, area, hubUrls));
            group.MapMethods($"/{area}/config.json", GetAndHead, (HttpContext http) =>
            {
                ConsoleSecurityHeaders.Apply(http, hubUrls);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Bytes(config, "application/json; charset=utf-8");
            });
            group.MapMethods($"/{area}/{{**path}}", GetAndHead, (HttpContext http, string? path) =>
                ServeFile(http, assets.Find($"{area}/{(string.IsNullOrEmpty(path) ? "index.html" : path)}"), hubUrls));
        }

        group.MapPost("/demo/token", (HttpContext http, DemoTokenRequest? request) =>
        {
            ConsoleSecurityHeaders.Apply(http, hubUrls);
            http.Response.Headers.CacheControl = "no-store";
            if (!issuer.Enabled)
            {
                return Results.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    detail: "Demo tokens are minted only in the Development environment; paste a client token instead (node scripts/mint-token.mjs).");
            }

            var name = request?.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 64 || name.Any(char.IsControl))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "name must be 1-64 characters, without control characters.");
            }

            var token = issuer.Issue(name);
            WebConsoleLog.DemoTokenIssued(logger, token.UserId);
            return Results.Ok(token);
        }).DisableAntiforgery();
        return app;
    }

    private static RedirectHttpResult RedirectToFolder(HttpContext http, string area, IReadOnlyList<string> hubUrls)
    {
        ConsoleSecurityHeaders.Apply(http, hubUrls);
        return TypedResults.Redirect($"{http.Request.PathBase}/{area}/{http.Request.QueryString}");
    }

    private static IResult ServeFile(HttpContext http, ConsoleAsset? asset, IReadOnlyList<string> hubUrls)
    {
        ConsoleSecurityHeaders.Apply(http, hubUrls);
        if (asset is null)
        {
            return TypedResults.NotFound();
        }

        // Revalidated on every use (cheap: 304 while the ETag matches), so a new build is picked up at once.
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private sealed record DemoTokenRequest(string? Name);
}
