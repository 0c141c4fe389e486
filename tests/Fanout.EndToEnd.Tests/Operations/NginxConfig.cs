using System.Text.RegularExpressions;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// compose/nginx.conf made runnable on this machine as root without touching /etc or /var: the upstream servers
/// become local realtime nodes, <c>listen</c> a local port, and <c>pid</c>, the logs and the temp paths move into one
/// directory. Nothing else changes; <see cref="ChangedLines"/> lets a test check that.
/// </summary>
internal static partial class NginxConfig
{
    /// <summary>The directives whose addresses or paths <see cref="Render"/> changes.</summary>
    public static readonly IReadOnlyList<string> RewrittenDirectives =
        ["server", "listen", "pid", "error_log", "access_log", "client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path",
            "uwsgi_temp_path", "scgi_temp_path"];

    public static string ComposePath => Path.Combine(ServiceBinaries.RepositoryRoot, "compose", "nginx.conf");

    public static string ReadCompose() => File.ReadAllText(ComposePath);

    /// <summary>
    /// <paramref name="source"/> with the upstream servers (in order) replaced by <paramref name="upstreams"/>
    /// (<c>host:port</c>, as many as the source has), <c>listen</c> by <paramref name="listen"/>, and every file path
    /// by one in <paramref name="directory"/>.
    /// </summary>
    public static string Render(string source, IReadOnlyList<string> upstreams, string listen, string directory)
    {
        var lines = source.Split('\n');
        var server = 0;
        var inUpstream = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (UpstreamStart().IsMatch(line))
            {
                inUpstream = true;
            }
            else if (inUpstream && line.Trim() == "}")
            {
                inUpstream = false;
            }

            var directive = Directive().Match(line);
            if (!directive.Success)
            {
                continue;
            }

            var (indent, name, value, rest) = (directive.Groups["indent"].Value, directive.Groups["name"].Value,
                directive.Groups["value"].Value, directive.Groups["rest"].Value);
            string? replacement = name switch
            {
                "server" when inUpstream => server < upstreams.Count
                    ? upstreams[server++]
                    : throw new InvalidOperationException($"{ComposePath} has more upstream servers than the {upstreams.Count} given"),
                "listen" => listen,
                "pid" => Path.Combine(directory, "nginx.pid"),
                "error_log" => Path.Combine(directory, "error.log"),
                "access_log" when value != "off" => Path.Combine(directory, "access.log"),
                _ when name.EndsWith("_temp_path", StringComparison.Ordinal) => Path.Combine(directory, Path.GetFileName(value)),
                _ => null,
            };
            if (replacement is not null)
            {
                lines[i] = $"{indent}{name} {replacement}{rest}";
            }
        }

        return server == upstreams.Count
            ? string.Join('\n', lines)
            : throw new InvalidOperationException($"{ComposePath} has {server} upstream servers, not {upstreams.Count}");
    }

    /// <summary>The lines that differ between two configs of the same length, as (line number, before, after).</summary>
    public static IReadOnlyList<(int Line, string Before, string After)> ChangedLines(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        if (a.Length != b.Length)
        {
            throw new InvalidOperationException($"The rendered config has {b.Length} lines, the source {a.Length}");
        }

        return a.Select((line, i) => (Line: i + 1, Before: line, After: b[i])).Where(x => x.Before != x.After).ToList();
    }

    /// <summary>The directive name of a config line (<c>server</c> for <c>    server 1.2.3.4:80 max_fails=3;</c>).</summary>
    public static string? DirectiveName(string line) => Directive().Match(line) is { Success: true } m ? m.Groups["name"].Value : null;

    [GeneratedRegex(@"^\s*upstream\s+\S+\s*\{\s*$")]
    private static partial Regex UpstreamStart();

    // A simple directive on a line of its own: name, first argument, then the rest up to and including the ';'.
    [GeneratedRegex(@"^(?<indent>\s*)(?<name>[a-z_]+)\s+(?<value>[^\s;{]+)(?<rest>[^{]*;)\s*$")]
    private static partial Regex Directive();
}
