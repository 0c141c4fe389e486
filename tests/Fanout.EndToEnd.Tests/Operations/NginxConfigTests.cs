using System.Text.RegularExpressions;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>compose/nginx.conf checked by nginx itself (<c>nginx -t</c>) and read for what SignalR needs of a proxy.</summary>
public sealed partial class NginxConfigTests
{
    private static readonly string[] LocalNodes = ["127.0.0.1:15070", "127.0.0.1:15071"];

    [Fact]
    public async Task NginxAcceptsTheComposeConfigRenderedForLocalAddresses()
    {
        var directory = NginxProcess.CreateDirectory();
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"),
                NginxConfig.Render(NginxConfig.ReadCompose(), LocalNodes, "127.0.0.1:18080", directory));
            var result = await NginxProcess.TestConfigAsync(directory);
            result.ExitCode.ShouldBe(0, result.Describe());
            result.Error.ShouldContain("test is successful");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void TheRenderedConfigDiffersFromComposeOnlyInAddressesAndFilePaths()
    {
        var source = NginxConfig.ReadCompose();
        var rendered = NginxConfig.Render(source, LocalNodes, "127.0.0.1:18080", "/tmp/fanout-nginx-x");
        var changed = NginxConfig.ChangedLines(source, rendered);

        foreach (var (line, before, after) in changed)
        {
            var name = NginxConfig.DirectiveName(before);
            name.ShouldNotBeNull($"line {line}: {before}");
            NginxConfig.RewrittenDirectives.ShouldContain(name, $"line {line} changes only an address or a path: {before} -> {after}");
            NginxConfig.DirectiveName(after).ShouldBe(name);
            // Only the first argument differs: the parameters after it (max_fails, log format, level) are kept.
            Arguments(after).Skip(1).ShouldBe(Arguments(before).Skip(1), $"line {line}");
        }

        changed.Count(c => NginxConfig.DirectiveName(c.Before) == "server").ShouldBe(2, "both upstream servers are local nodes");
        changed.ShouldContain(c => NginxConfig.DirectiveName(c.Before) == "listen");
        rendered.ShouldNotContain("/var/");
        rendered.ShouldNotContain("/dev/std");
        rendered.ShouldNotContain("realtime-1:");
        rendered.ShouldNotContain("realtime-2:");
    }

    [Fact]
    public void TheHubIsProxiedWithWebSocketUpgradeNoBufferingLongTimeoutsAndClientAddressStickiness()
    {
        var hub = Block(NginxConfig.ReadCompose(), "location /hubs/");
        hub.ShouldContain("proxy_pass http://realtime;");
        hub.ShouldContain("proxy_http_version 1.1;");
        hub.ShouldContain("proxy_set_header Upgrade $http_upgrade;");
        hub.ShouldContain("proxy_set_header Connection $connection_upgrade;");
        hub.ShouldContain("proxy_buffering off;");
        hub.ShouldContain("proxy_read_timeout 1h;");
        hub.ShouldContain("proxy_send_timeout 1h;");
        hub.Contains("http_404", StringComparison.Ordinal).ShouldBeFalse("a connection id lives on one node: a 404 must not be retried elsewhere");

        var upstream = Block(NginxConfig.ReadCompose(), "upstream realtime");
        upstream.ShouldContain("hash $remote_addr consistent;");
        ServerLine().Count(upstream).ShouldBe(2);
        foreach (Match server in ServerLine().Matches(upstream))
        {
            server.Value.ShouldContain("max_fails=");
            server.Value.ShouldContain("fail_timeout=");
        }

        Block(NginxConfig.ReadCompose(), "location /health/").ShouldContain("proxy_pass http://realtime;");
    }

    private static string[] Arguments(string line) => line.Trim().TrimEnd(';').Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();

    /// <summary>The text of the block that opens with <paramref name="header"/> (up to its matching brace), without comments.</summary>
    private static string Block(string config, string header)
    {
        var text = string.Join('\n', config.Split('\n').Select(l => l.Split('#')[0]));
        var start = text.IndexOf(header + " {", StringComparison.Ordinal);
        start.ShouldBeGreaterThanOrEqualTo(0, $"compose/nginx.conf has a '{header}' block");
        var depth = 0;
        for (var i = text.IndexOf('{', start); i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[start..(i + 1)];
            }
        }

        throw new InvalidOperationException($"'{header}' block is not closed");
    }

    [GeneratedRegex(@"^\s*server\s+[^\s{;]+[^;{]*;", RegexOptions.Multiline)]
    private static partial Regex ServerLine();
}
