using System.ComponentModel.DataAnnotations;
using Fanout.WebConsole;
using Microsoft.AspNetCore.Http;

namespace Fanout.UnitTests.WebConsole;

public sealed class WebConsoleOptionsTests
{
    [Fact]
    public void WithoutHubUrlsThePagesUseTheSameOriginHub() =>
        new WebConsoleOptions().EffectiveHubUrls.ShouldBe(["/hubs/rooms"]);

    [Theory]
    [InlineData("http://127.0.0.1:5070/hubs/rooms")]
    [InlineData("https://rt.example.com/hubs/rooms")]
    [InlineData("/hubs/rooms")]
    public void AbsoluteHttpUrlsAndPathsAreValid(string url) => Errors(url).ShouldBeEmpty();

    [Theory]
    [InlineData("ws://127.0.0.1:5070/hubs/rooms")]
    [InlineData("hubs/rooms")]
    [InlineData("//evil.example/hubs/rooms")]
    [InlineData("http://user:pass@rt.example.com/hubs/rooms")]
    [InlineData("https://rt.example.com/hubs/rooms; script-src *")]
    public void OtherHubUrlsAreRefusedNamingTheSetting(string url) =>
        Errors(url).ShouldHaveSingleItem().ShouldContain("Console:HubUrls:0");

    [Fact]
    public void ThePolicyAllowsScriptsStylesAndConnectionsOfThisOriginAndTheHubsOnly()
    {
        var http = new DefaultHttpContext();
        http.Request.Host = new HostString("127.0.0.1:5080");

        var policy = ConsoleSecurityHeaders.ContentSecurityPolicy(http.Request, ["http://127.0.0.1:5070/hubs/rooms", "https://rt.example.com/hubs/rooms", "/hubs/rooms"]);

        policy.ShouldStartWith("default-src 'none'; script-src 'self'; style-src 'self';");
        policy.ShouldContain("connect-src 'self' ws://127.0.0.1:5080 http://127.0.0.1:5070 ws://127.0.0.1:5070 https://rt.example.com wss://rt.example.com;");
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldContain("form-action 'none'");
        policy.ShouldNotContain("unsafe");
    }

    [Fact]
    public void ThePagesAndTheClientBundleAreBuiltIn()
    {
        var assets = new ConsoleAssets();

        assets.Find("console/index.html").ShouldNotBeNull().ContentType.ShouldBe("text/html; charset=utf-8");
        assets.Find("demo/demo.js").ShouldNotBeNull().ContentType.ShouldBe("text/javascript; charset=utf-8");
        assets.Find("demo/fanout.css").ShouldNotBeNull().ContentType.ShouldBe("text/css; charset=utf-8");
        assets.HasClientBundle.ShouldBeTrue("clients/js/dist/browser/fanout-client.js is built and embedded by the build");
        assets.Find("console/../console/index.html").ShouldBeNull();
    }

    private static List<string> Errors(string url)
    {
        var options = new WebConsoleOptions { HubUrls = [url] };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
