using Fanout.Realtime.Hubs;

namespace Fanout.UnitTests.Realtime;

public sealed class HubErrorsTests
{
    [Theory]
    [InlineData(HubErrors.BadRequest, "107: Subscribe: afterSeq must be 0 or greater")]
    [InlineData(HubErrors.TooManyRequests, "111 temporary: Subscribe: afterSeq must be 0 or greater")]
    [InlineData(HubErrors.Unavailable, "108 temporary: Subscribe: afterSeq must be 0 or greater")]
    [InlineData(HubErrors.PositionBeyondRoom, "112: Subscribe: afterSeq must be 0 or greater")]
    public void AnErrorStartsWithItsCodeAndSaysWhenItIsTemporary(int code, string expected) =>
        HubErrors.Create(code, "Subscribe: afterSeq must be 0 or greater").Message.ShouldBe(expected);

    [Fact]
    public void OnlyFailuresThatRetryingCanCureAreTemporary()
    {
        int[] temporary = [HubErrors.Internal, HubErrors.Unavailable, HubErrors.TooManyRequests, HubErrors.Closing];
        int[] refusals = [HubErrors.PermissionDenied, HubErrors.LimitExceeded, HubErrors.BadRequest, HubErrors.PositionBeyondRoom, HubErrors.NotSubscribed];

        temporary.ShouldAllBe(code => HubErrors.IsTemporary(code));
        refusals.ShouldAllBe(code => !HubErrors.IsTemporary(code));
    }
}
