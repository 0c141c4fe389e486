using Fanout.Contracts.Validation;

namespace Fanout.UnitTests.Contracts;

public sealed class RoomPatternTests
{
    [Theory]
    [InlineData("chat:*", "chat:lobby", true)]
    [InlineData("chat:*", "chat:", true)]
    [InlineData("chat:*", "chatroom", false)]
    [InlineData("*", "anything.at:all", true)]
    [InlineData("user:42", "user:42", true)]
    [InlineData("user:42", "user:421", false)]
    [InlineData("*:typing", "doc-7:typing", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("Chat:*", "chat:lobby", false)]
    public void APatternMatchesWithStarAsAnyRun(string pattern, string room, bool matches) =>
        RoomPattern.Matches(pattern, room).ShouldBe(matches);

    [Fact]
    public void ManyStarsOnALongRoomStayLinear() =>
        RoomPattern.Matches(string.Concat(Enumerable.Repeat("a*", 60)) + "b", new string('a', 128)).ShouldBeFalse();

    [Theory]
    [InlineData("chat:*", null)]
    [InlineData("*", null)]
    [InlineData("", "pattern is required")]
    [InlineData("chat lobby", "may hold only room id characters")]
    [InlineData("chat/*", "may hold only room id characters")]
    public void PatternsAreValidatedLikeRoomIds(string pattern, string? error)
    {
        var result = RoomPattern.Validate(pattern);
        if (error is null)
        {
            result.ShouldBeNull();
        }
        else
        {
            result.ShouldNotBeNull().ShouldContain(error);
        }
    }
}
