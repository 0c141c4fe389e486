using System.ComponentModel.DataAnnotations;
using Fanout.History;
using Fanout.History.Retention;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.History;

public sealed class RetentionOptionsTests
{
    private static RetentionPolicy Policy(RetentionOptions options) => new(Options.Create(options));

    [Fact]
    public void TheFirstMatchingRuleWinsAndUnsetLimitsAreTheDefaults()
    {
        var policy = Policy(new RetentionOptions
        {
            MaxEvents = 100,
            MaxAge = TimeSpan.FromHours(1),
            Rules = [new() { Pattern = "chat:vip*", MaxEvents = 5_000 }, new() { Pattern = "chat:*", MaxAge = TimeSpan.FromDays(7) }, new() { Pattern = "cursor:*", MaxEvents = 0 }],
        });

        policy.For("chat:vip-lounge").ShouldBe(new RoomLimits(5_000, TimeSpan.FromHours(1)));
        policy.For("chat:lobby").ShouldBe(new RoomLimits(100, TimeSpan.FromDays(7)));
        policy.For("cursor:doc-1").MaxEvents.ShouldBe(0);
        policy.For("user:42").ShouldBe(new RoomLimits(100, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void TheFloorIsTheFirstRetainedSeqRaisedByTheCountLimit()
    {
        var policy = Policy(new RetentionOptions { MaxEvents = 10, Rules = [new() { Pattern = "eph:*", MaxEvents = 0 }] });

        policy.FloorOf("a", new RoomPosition("e", 100) { FirstSeq = 50 }).ShouldBe(91);
        policy.FloorOf("a", new RoomPosition("e", 100) { FirstSeq = 95 }).ShouldBe(95);
        policy.FloorOf("eph:x", new RoomPosition("e", 7)).ShouldBe(8);
    }

    [Fact]
    public void ARuleWithABadPatternOrLimitFailsValidationNamingTheKey()
    {
        var options = new RetentionOptions { Rules = [new() { Pattern = "chat/*" }, new() { Pattern = "ok:*", MaxEvents = -1 }] };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        errors.Count.ShouldBe(2);
        errors[0].ShouldStartWith("Retention:Rules:0:Pattern");
        errors[1].ShouldStartWith("Retention:Rules:1:MaxEvents");
    }
}
