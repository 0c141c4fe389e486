using Fanout.Bench.Cli;

namespace Fanout.EndToEnd.Tests;

/// <summary>The load generator's command line reads what it is given.</summary>
public sealed class BenchCommandLineTests
{
    [Fact]
    public void TheIngestUrlCanBeGivenAndABadOneIsANamedError()
    {
        var options = new BenchOptionSet();
        var command = new System.CommandLine.Command("steady");
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        var given = command.Parse(["--ingest", "http://127.0.0.1:5081"]);
        given.Errors.ShouldBeEmpty();
        options.ReadTarget(given).Ingest.ShouldBe(new Uri("http://127.0.0.1:5081"));

        command.Parse(["--ingest", "not a url"]).Errors.ShouldHaveSingleItem().Message.ShouldContain("--ingest must be an absolute http(s) URL");
    }
}
