using Fanout.Client;

namespace Fanout.UnitTests.Client;

public sealed class FanoutClientOptionsTests
{
    private static readonly Uri NodeA = new("http://127.0.0.1:5070/hubs/rooms");
    private static readonly Uri NodeB = new("http://127.0.0.1:5071/hubs/rooms");

    [Fact]
    public void OneHubUrlIsTheOnlyNode() =>
        new FanoutClientOptions { HubUrl = NodeA }.Validate().ShouldBe([NodeA]);

    [Fact]
    public void SeveralHubUrlsAreUsedInOrderAndTakePrecedence() =>
        new FanoutClientOptions { HubUrl = NodeA, HubUrls = [NodeB, NodeA] }.Validate().ShouldBe([NodeB, NodeA]);

    [Fact]
    public void NoHubUrlIsRefusedWithAMessageThatSaysWhatToSet() =>
        Should.Throw<ArgumentException>(() => new FanoutClientOptions().Validate()).Message.ShouldContain("HubUrl");

    [Fact]
    public void ARelativeHubUrlIsRefused() =>
        Should.Throw<ArgumentException>(() => new FanoutClientOptions { HubUrl = new Uri("/hubs/rooms", UriKind.Relative) }.Validate());

    [Fact]
    public void BackoffSettingsOutOfRangeAreRefused()
    {
        Should.Throw<ArgumentException>(() => new FanoutClientOptions { HubUrl = NodeA, ReconnectDelayBase = TimeSpan.Zero }.Validate());
        Should.Throw<ArgumentException>(() => new FanoutClientOptions
        {
            HubUrl = NodeA,
            ReconnectDelayBase = TimeSpan.FromSeconds(2),
            ReconnectDelayMax = TimeSpan.FromSeconds(1),
        }.Validate());
        Should.Throw<ArgumentException>(() => new FanoutClientOptions { HubUrl = NodeA, ConnectTimeout = TimeSpan.Zero }.Validate());
    }
}
