using System.Security.Claims;
using Fanout.Realtime.Auth;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class RoomPermissionsTests
{
    [Theory]
    [InlineData("chat:lobby", true)]
    [InlineData("chat:", true)]
    [InlineData("news:1", false)]
    [InlineData("user:7", false)]
    public void RoomsClaimPatternsGrantSubscribeAndPublish(string room, bool allowed)
    {
        var user = User("42", ("rooms", "chat:*"), ("rooms", "user:42"));

        Permissions().Allows(user, RoomAction.Subscribe, room).ShouldBe(allowed);
        Permissions().Allows(user, RoomAction.Publish, room).ShouldBe(allowed);
    }

    [Fact]
    public void SubscribeAndPublishClaimsGrantOnlyTheirAction()
    {
        var user = User("1", ("subscribe", "feed:*"), ("publish", "inbox:1"));

        Permissions().Allows(user, RoomAction.Subscribe, "feed:a").ShouldBeTrue();
        Permissions().Allows(user, RoomAction.Publish, "feed:a").ShouldBeFalse();
        Permissions().Allows(user, RoomAction.Publish, "inbox:1").ShouldBeTrue();
        Permissions().Allows(user, RoomAction.Subscribe, "inbox:1").ShouldBeFalse();
    }

    [Fact]
    public void ThePersonalRoomIsAlwaysAllowedToItsOwnerOnly()
    {
        var user = User("42", ("rooms", "chat:*"));

        Permissions().Allows(user, RoomAction.Subscribe, "user:42").ShouldBeTrue();
        Permissions().Allows(user, RoomAction.Publish, "user:42").ShouldBeTrue();
        Permissions().Allows(user, RoomAction.Subscribe, "user:420").ShouldBeFalse();
        Permissions().Allows(user, RoomAction.Subscribe, "user:4").ShouldBeFalse();
    }

    [Fact]
    public void WithoutPermissionClaimsATokenHasOnlyItsPersonalRoomUnlessNotRequired()
    {
        var user = User("42");

        Permissions().Allows(user, RoomAction.Subscribe, "chat:lobby").ShouldBeFalse();
        Permissions().Allows(user, RoomAction.Subscribe, "user:42").ShouldBeTrue();
        Permissions(required: false).Allows(user, RoomAction.Publish, "chat:lobby").ShouldBeTrue();
        Permissions(required: false).Allows(User("42", ("publish", "x")), RoomAction.Subscribe, "chat:lobby").ShouldBeFalse();
    }

    [Fact]
    public void SpaceSeparatedPatternsConfiguredClaimNamesAndInvalidPatterns()
    {
        var permissions = new RoomPermissions(Options.Create(new RoomPermissionsOptions { RoomsClaim = "fanout_rooms" }));

        permissions.Allows(User("1", ("fanout_rooms", "a:* b")), RoomAction.Publish, "b").ShouldBeTrue();
        permissions.Allows(User("1", ("fanout_rooms", "a:* b")), RoomAction.Publish, "a:x").ShouldBeTrue();
        permissions.Allows(User("1", ("rooms", "*")), RoomAction.Publish, "b").ShouldBeFalse();
        permissions.Allows(User("1", ("fanout_rooms", "b/*")), RoomAction.Publish, "b/x").ShouldBeFalse();
    }

    private static RoomPermissions Permissions(bool required = true) =>
        new(Options.Create(new RoomPermissionsOptions { Required = required }));

    private static ClaimsPrincipal User(string sub, params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity([new Claim("sub", sub), .. claims.Select(c => new Claim(c.Type, c.Value))], "test"));
}
