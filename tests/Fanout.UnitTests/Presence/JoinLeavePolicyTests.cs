using Fanout.Presence.Options;
using Fanout.Presence.Relay;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Presence;

public sealed class JoinLeavePolicyTests
{
    [Fact]
    public void TheFirstMatchingRuleDecidesAndUnmatchedRoomsTakeTheDefaults()
    {
        var options = new PresenceServiceOptions
        {
            JoinLeave = new JoinLeaveOptions
            {
                MaxPerSecond = 20,
                Rooms =
                [
                    new JoinLeaveRule { Pattern = "cursor:*", Enabled = false },
                    new JoinLeaveRule { Pattern = "chat:big-*", MaxPerSecond = 1 },
                    new JoinLeaveRule { Pattern = "chat:*", MaxPerSecond = 50 },
                ],
            },
        };
        var policy = new JoinLeavePolicy(Options.Create(options));

        policy.RateFor("cursor:doc-1").ShouldBeNull();
        policy.RateFor("chat:big-room").ShouldBe(1);
        policy.RateFor("chat:lobby").ShouldBe(50);
        policy.RateFor("user:42").ShouldBe(20);
        options.JoinLeave.Enabled = false;
        policy.RateFor("user:42").ShouldBeNull();
    }
}
