using Microsoft.AspNetCore.Http;

namespace Fanout.WebConsole;

/// <summary>
/// The headers of every answer under <c>/console</c> and <c>/demo</c>: a strict Content-Security-Policy (scripts, styles
/// and images of this origin only, no inline code, no plugins, no framing, forms never submitted natively, connections to
/// this origin and the configured hubs only), and the usual hardening headers.
/// </summary>
public static class ConsoleSecurityHeaders
{
    public static void Apply(HttpContext http, IReadOnlyList<string> hubUrls)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(http.Request, hubUrls);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    }

    /// <summary>
    /// The policy: <c>connect-src</c> lists this origin (also as <c>ws(s)://</c>, which older browsers do not count as
    /// <c>'self'</c>) and the origin of each absolute hub URL, in both schemes.
    /// </summary>
    public static string ContentSecurityPolicy(HttpRequest request, IReadOnlyList<string> hubUrls)
    {
        var connect = new List<string> { "'self'" };
        if (request.Host.HasValue)
        {
            connect.Add($"{(request.IsHttps ? "wss" : "ws")}://{request.Host.Value}");
        }

        foreach (var url in hubUrls)
        {
            // A path of this origin is covered by 'self' (on Unix a path also parses as an absolute file: URI).
            if (Uri.TryCreate(url, UriKind.Absolute, out var hub) && hub.Scheme is "http" or "https" && !url.StartsWith('/'))
            {
                var authority = hub.Authority; // host, and the port unless it is the scheme's default
                connect.Add($"{hub.Scheme}://{authority}");
                connect.Add($"{(hub.Scheme == "https" ? "wss" : "ws")}://{authority}");
            }
        }

        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src {string.Join(' ', connect.Distinct(StringComparer.Ordinal))}; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
    }
}
