using Fanout.Contracts.Validation;

namespace Fanout.UnitTests.Contracts;

public sealed class IdentifierRulesTests
{
    [Theory]
    [InlineData("chat:lobby")]
    [InlineData("user:42")]
    [InlineData("a")]
    [InlineData("A-Z_a.z:0-9")]
    [InlineData("...")]
    public void ValidRoomIdsPass(string room) => RoomId.Validate(room).ShouldBeNull();

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData(".", "'.' or '..'")]
    [InlineData("..", "'.' or '..'")]
    [InlineData("chat/lobby", "position 4")]
    [InlineData("chat lobby", "position 4")]
    [InlineData("chat\u0000", "position 4")]
    [InlineData("caf\u00e9", "position 3")]
    [InlineData("x'; DROP TABLE rooms;--", "position 1")]
    public void InvalidRoomIdsSayWhatToFix(string? room, string expected) => RoomId.Validate(room)!.ShouldContain(expected);

    [Fact]
    public void RoomIdsLongerThan128CharactersAreRejected()
    {
        RoomId.Validate(new string('a', 128)).ShouldBeNull();
        RoomId.Validate(new string('a', 129))!.ShouldContain("limit is 128");
    }

    [Fact]
    public void EventTypesFollowTheSameCharactersWithA64CharacterLimit()
    {
        EventType.Validate("message.created").ShouldBeNull();
        EventType.Validate(new string('t', 64)).ShouldBeNull();
        EventType.Validate(new string('t', 65))!.ShouldContain("limit is 64");
        EventType.Validate("bad type")!.ShouldContain("position 3");
        EventType.Validate(null)!.ShouldContain("required");
    }

    [Theory]
    [InlineData("k")]
    [InlineData("order-42/retry 1 ~!")]
    public void PrintableAsciiIdempotencyKeysPass(string key) => IdempotencyKey.Validate(key).ShouldBeNull();

    [Theory]
    [InlineData("")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    [InlineData("line\nbreak")]
    public void OtherIdempotencyKeysAreRejected(string key) => IdempotencyKey.Validate(key).ShouldNotBeNull();

    [Fact]
    public void IdempotencyKeysLongerThan128CharactersAreRejected() =>
        IdempotencyKey.Validate(new string('k', 129))!.ShouldContain("limit is 128");
}
