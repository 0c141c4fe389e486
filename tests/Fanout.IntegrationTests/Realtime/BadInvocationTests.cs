using System.Text.Json;
using Fanout.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// Each bad call gets an error for that call that says what is wrong, and the same connection then completes a
/// valid call: nothing a client puts in arguments closes its connection.
/// </summary>
public sealed class BadInvocationTests(EdgeServer server) : IClassFixture<EdgeServer>
{
    private static readonly TimeSpan Timeout = Eventually.DefaultTimeout;

    [Theory]
    [InlineData(65)]
    [InlineData(200)]
    public async Task DataNestedDeeperThanTheLimitFailsThatCallAndTheConnectionStaysOpen(int depth)
    {
        await using var connection = await server.StartAsync("user-1");

        var refused = await RefusedAsync(connection.InvokeAsync<int>("Publish", "room-1", "chat.message", Nested(depth)));

        refused.Message.ShouldBe("Failed to invoke 'Publish' due to an error on the server. HubException: 107: Publish: data nests deeper than 64 levels");
        await ValidCallCompletesAsync(connection);
    }

    [Fact]
    public async Task DataNestedExactlyToTheLimitIsAccepted()
    {
        await using var connection = await server.StartAsync("user-1");

        var length = await Eventually.WithinAsync(connection.InvokeAsync<int>("Publish", "room-1", "chat.message", Nested(64)), "Publish");

        length.ShouldBe(128);
    }

    [Theory]
    [InlineData("Subscribe", new object[] { 42 }, "Subscribe: argument 'room' must be a string")]
    [InlineData("Subscribe", new object[] { "room-1", "yesterday" }, "Subscribe: argument 'afterSeq' must be an integer")]
    [InlineData("Subscribe", new object[] { "room-1", 1.5 }, "Subscribe: argument 'afterSeq' must be an integer")]
    [InlineData("Subscribe", new object[] { "room-1", 3, true }, "Subscribe: argument 'epoch' must be a string")]
    [InlineData("Publish", new object[] { "room-1", 7, "x" }, "Publish: argument 'type' must be a string")]
    [InlineData("Publish", new object[] { new[] { "room-1" }, "chat", "x" }, "Publish: argument 'room' must be a string")]
    public async Task ArgumentOfTheWrongTypeFailsThatCallAndTheConnectionStaysOpen(string method, object[] arguments, string reason)
    {
        await using var connection = await server.StartAsync("user-1");

        var refused = await RefusedAsync(connection.InvokeCoreAsync<string>(method, arguments));

        refused.Message.ShouldBe($"Failed to invoke '{method}' due to an error on the server. HubException: 107: {reason}");
        await ValidCallCompletesAsync(connection);
    }

    [Theory]
    [InlineData("Publish", new object[] { "room-1", "chat" }, "Publish: expected 3 arguments (room, type, data), got 2")]
    [InlineData("Publish", new object[] { "room-1", "chat", 1, 2 }, "Publish: expected 3 arguments (room, type, data), got 4")]
    [InlineData("Subscribe", new object[0], "Subscribe: expected 1 to 3 arguments (room, afterSeq, epoch), got 0")]
    [InlineData("Echo", new object[] { "a", "b" }, "Echo: expected 1 argument (text), got 2")]
    [InlineData("WhoAmI", new object[] { "a" }, "WhoAmI: expected no arguments, got 1")]
    public async Task WrongNumberOfArgumentsFailsThatCallAndTheConnectionStaysOpen(string method, object[] arguments, string reason)
    {
        await using var connection = await server.StartAsync("user-1");

        var refused = await RefusedAsync(connection.InvokeCoreAsync<string>(method, arguments));

        refused.Message.ShouldBe($"Failed to invoke '{method}' due to an error on the server. HubException: 107: {reason}");
        await ValidCallCompletesAsync(connection);
    }

    [Fact]
    public async Task TrailingParametersWithDefaultsMayBeLeftOut()
    {
        await using var connection = await server.StartAsync("user-1");

        var one = await Eventually.WithinAsync(connection.InvokeAsync<string>("Subscribe", "room-1"), "Subscribe(room)");
        var two = await Eventually.WithinAsync(connection.InvokeAsync<string>("Subscribe", "room-1", 41L), "Subscribe(room, afterSeq)");
        var three = await Eventually.WithinAsync(connection.InvokeAsync<string>("Subscribe", "room-1", null, "e1"), "Subscribe(room, null, epoch)");

        one.ShouldBe("room-1||");
        two.ShouldBe("room-1|41|");
        three.ShouldBe("room-1||e1");
    }

    [Theory]
    [InlineData(70_000)]
    [InlineData(250_000)]
    public async Task OversizedDataUnderTheMessageCapFailsThatCallAndTheConnectionStaysOpen(int length)
    {
        await using var connection = await server.StartAsync("user-1");
        var data = JsonSerializer.SerializeToElement(new string('x', length));

        var refused = await RefusedAsync(connection.InvokeAsync<int>("Publish", "room-1", "chat.message", data));

        refused.Message.ShouldBe(
            $"An unexpected error occurred invoking 'Publish' on the server. HubException: 107: Publish: data is {length + 2} bytes as compact JSON; the limit is 65536");
        await ValidCallCompletesAsync(connection);
    }

    [Fact]
    public async Task InvalidRoomFailsThatCallWithTheRoomRule()
    {
        await using var connection = await server.StartAsync("user-1");

        var refused = await RefusedAsync(connection.InvokeAsync<string>("Subscribe", "room/1"));

        refused.Message.ShouldEndWith("HubException: 107: Subscribe: room has a character outside A-Z a-z 0-9 _ - . : at position 4");
        await ValidCallCompletesAsync(connection);
    }

    [Fact]
    public async Task UnknownMethodFailsThatCallAndTheConnectionStaysOpen()
    {
        await using var connection = await server.StartAsync("user-1");

        var refused = await RefusedAsync(connection.InvokeAsync<string>("NoSuchMethod", "x"));

        refused.Message.ShouldBe("Failed to invoke 'NoSuchMethod' due to an error on the server. HubException: 107: NoSuchMethod: no such hub method");
        await ValidCallCompletesAsync(connection);
    }

    [Fact]
    public async Task MessageOverTheSizeCapClosesTheConnectionAndOthersCarryOn()
    {
        await using var bystander = await server.StartAsync("user-2");
        await using var connection = await server.StartAsync("user-1");
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        var data = JsonSerializer.SerializeToElement(new string('x', 300_000));

        await Should.ThrowAsync<Exception>(connection.InvokeAsync<int>("Publish", "room-1", "chat.message", data).WaitAsync(Timeout));

        await Eventually.WithinAsync(closed.Task, "the connection closes");
        connection.State.ShouldBe(HubConnectionState.Disconnected);
        await ValidCallCompletesAsync(bystander);
    }

    [Fact]
    public async Task ExtremelyDeepArgumentFailsThatCallAndTheConnectionStaysOpen()
    {
        await using var socket = await RawHubSocket.ConnectAsync(server.HubUrl, EdgeServer.TokenFor("user-1"));
        const int depth = 100_000;

        await socket.SendAsync($$"""{"type":1,"invocationId":"1","target":"Publish","arguments":["room-1","chat",{{new string('[', depth)}}{{new string(']', depth)}}]}""");
        var refused = await socket.ReceiveAsync();
        await socket.SendAsync("""{"type":1,"invocationId":"2","target":"Echo","arguments":["still open"]}""");
        var echoed = await socket.ReceiveAsync();

        refused.GetProperty("invocationId").GetString().ShouldBe("1");
        refused.GetProperty("error").GetString().ShouldEndWith("HubException: 107: Publish: data nests deeper than 64 levels");
        echoed.GetProperty("invocationId").GetString().ShouldBe("2");
        echoed.GetProperty("result").GetString().ShouldBe("still open");
    }

    [Fact]
    public async Task DataWithALoneSurrogateFailsThatCallAndTheConnectionStaysOpen()
    {
        await using var socket = await RawHubSocket.ConnectAsync(server.HubUrl, EdgeServer.TokenFor("user-1"));

        await socket.SendAsync("""{"type":1,"invocationId":"1","target":"Publish","arguments":["room-1","chat",{"text":"\ud800"}]}""");
        var refused = await socket.ReceiveAsync();
        await socket.SendAsync("""{"type":1,"invocationId":"2","target":"Echo","arguments":["still open"]}""");
        var echoed = await socket.ReceiveAsync();

        refused.GetProperty("error").GetString().ShouldEndWith(
            "HubException: 107: Publish: data has a string that is not valid UTF-8 or contains a lone surrogate");
        echoed.GetProperty("result").GetString().ShouldBe("still open");
    }

    [Fact]
    public async Task ArgumentsThatAreNotAnArrayFailThatCall()
    {
        await using var socket = await RawHubSocket.ConnectAsync(server.HubUrl, EdgeServer.TokenFor("user-1"));

        await socket.SendAsync("""{"type":1,"invocationId":"1","target":"Echo","arguments":{"text":"x"}}""");
        var refused = await socket.ReceiveAsync();
        await socket.SendAsync("""{"type":1,"invocationId":"2","target":"Echo","arguments":["still open"]}""");
        var echoed = await socket.ReceiveAsync();

        refused.GetProperty("error").GetString().ShouldEndWith("HubException: 107: Echo: arguments must be a JSON array");
        echoed.GetProperty("result").GetString().ShouldBe("still open");
    }

    private static async Task<HubException> RefusedAsync(Task call) => await Should.ThrowAsync<HubException>(call.WaitAsync(Timeout));

    private static async Task ValidCallCompletesAsync(HubConnection connection)
    {
        var echoed = await Eventually.WithinAsync(connection.InvokeAsync<string>("Echo", "still open"), "a valid call after the bad one");
        echoed.ShouldBe("still open");
        connection.State.ShouldBe(HubConnectionState.Connected);
    }

    private static JsonElement Nested(int depth)
    {
        using var document = JsonDocument.Parse(new string('[', depth) + new string(']', depth), new JsonDocumentOptions { MaxDepth = depth + 1 });
        return document.RootElement.Clone();
    }
}
