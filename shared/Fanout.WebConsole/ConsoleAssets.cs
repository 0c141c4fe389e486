using System.Reflection;
using System.Security.Cryptography;

namespace Fanout.WebConsole;

/// <summary>
/// The pages' static files, read once from the assembly's embedded resources (<c>wwwroot/…</c>): <c>wwwroot/console/x</c>
/// is served at <c>/console/x</c>, <c>wwwroot/demo/x</c> at <c>/demo/x</c>, and <c>wwwroot/shared/x</c> at both.
/// </summary>
public sealed class ConsoleAssets
{
    private const string ResourcePrefix = "wwwroot/";
    private readonly Dictionary<string, ConsoleAsset> _byPath = new(StringComparer.Ordinal);

    public ConsoleAssets()
        : this(typeof(ConsoleAssets).Assembly)
    {
    }

    internal ConsoleAssets(Assembly assembly)
    {
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content), 0, 12)}\"";
            var relative = name[ResourcePrefix.Length..];
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            var (area, path) = (relative[..slash], relative[(slash + 1)..]);
            var asset = new ConsoleAsset(content, ContentTypeOf(path), etag);
            foreach (var prefix in area == "shared" ? ["console", "demo"] : new[] { area })
            {
                _byPath[$"{prefix}/{path}"] = asset;
            }
        }
    }

    /// <summary>Whether the clients/js browser bundle was built into this assembly (the demo and the live tail need it).</summary>
    public bool HasClientBundle => _byPath.ContainsKey("console/lib/fanout-client.js");

    /// <summary>The file at <paramref name="path"/> (<c>console/index.html</c>), or null.</summary>
    public ConsoleAsset? Find(string path) => _byPath.GetValueOrDefault(path);

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".json" or ".map" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        _ => "application/octet-stream",
    };
}

/// <summary>One static file: its bytes, content type and strong ETag (a hash of the bytes).</summary>
public sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
