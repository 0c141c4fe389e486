using System.Buffers;
using System.Text;
using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Realtime.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class FanoutHubProtocolTests
{
    private static readonly FanoutHubProtocol Protocol = new(Options.Create(new JsonHubProtocolOptions()), EventDataRules.Default);
    private static readonly TestBinder<ProtocolTestHub> Binder = new();

    [Fact]
    public void ValidInvocationBindsAsSignalRsJsonProtocolDoes()
    {
        var message = Parse("""{"type":1,"invocationId":"1","target":"Publish","arguments":["room-1","chat",{"a":[1,2]}],"headers":{"h":"v"}}""");

        var invocation = message.ShouldBeOfType<InvocationMessage>();
        invocation.InvocationId.ShouldBe("1");
        invocation.Target.ShouldBe("Publish");
        invocation.Arguments[0].ShouldBe("room-1");
        invocation.Arguments[1].ShouldBe("chat");
        invocation.Arguments[2].ShouldBeOfType<JsonElement>().GetRawText().ShouldBe("""{"a":[1,2]}""");
        invocation.Headers!["h"].ShouldBe("v");
    }

    [Fact]
    public void InvocationWithoutIdIsASend()
    {
        Parse("""{"type":1,"target":"Subscribe","arguments":["room-1",5,"e"]}""")
            .ShouldBeOfType<InvocationMessage>().InvocationId.ShouldBeNull();
    }

    [Fact]
    public void StreamInvocationBindsToAStreamInvocationMessage()
    {
        Parse("""{"type":4,"invocationId":"9","target":"Subscribe","arguments":["room-1",5,"e"]}""")
            .ShouldBeOfType<StreamInvocationMessage>().Arguments.Length.ShouldBe(3);
    }

    [Fact]
    public void DataNestedToTheLimitBinds()
    {
        var message = Parse(PublishWithDepth(EventDataRules.DefaultMaxDepth));

        message.ShouldBeOfType<InvocationMessage>().Arguments[2].ShouldBeOfType<JsonElement>().ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void DataNestedDeeperThanTheLimitIsABindingFailureThatSaysSo(int depth)
    {
        ReasonOf(Parse(PublishWithDepth(depth))).ShouldBe("Publish: data nests deeper than 64 levels");
    }

    [Theory]
    [InlineData("Subscribe", "Subscribe: argument 'room' must be a string", "[42]")]
    [InlineData("Subscribe", "Subscribe: argument 'room' must be a string", """[{"a":1}]""")]
    [InlineData("Subscribe", "Subscribe: argument 'afterSeq' must be an integer", """["r","5"]""")]
    [InlineData("Subscribe", "Subscribe: argument 'afterSeq' must be an integer", """["r",99999999999999999999]""")]
    [InlineData("Subscribe", "Subscribe: argument 'epoch' must be a string", """["r",1,[[[]]]]""")]
    [InlineData("Wait", "Wait: argument 'milliseconds' must be an integer", """[null]""")]
    [InlineData("renamed", "renamed: argument 'on' must be true or false", """["yes"]""")]
    public void ArgumentOfTheWrongTypeIsABindingFailureNamingIt(string target, string reason, string arguments)
    {
        ReasonOf(Parse($$"""{"type":1,"invocationId":"1","target":"{{target}}","arguments":{{arguments}}}""")).ShouldBe(reason);
    }

    [Theory]
    [InlineData("Publish", """["r","t"]""", "Publish: expected 3 arguments (room, type, data), got 2")]
    [InlineData("Publish", """["r","t",1,2]""", "Publish: expected 3 arguments (room, type, data), got 4")]
    [InlineData("Subscribe", """[]""", "Subscribe: expected 1 to 3 arguments (room, afterSeq, epoch), got 0")]
    [InlineData("Wait", """[]""", "Wait: expected 1 argument (milliseconds), got 0")]
    [InlineData("Wait", """{"ms":1}""", "Wait: arguments must be a JSON array")]
    public void WrongNumberOfArgumentsIsABindingFailureListingThem(string target, string arguments, string reason)
    {
        ReasonOf(Parse($$"""{"type":1,"invocationId":"1","target":"{{target}}","arguments":{{arguments}}}""")).ShouldBe(reason);
    }

    [Fact]
    public void TrailingParametersWithDefaultsAreFilledIn()
    {
        var invocation = Parse("""{"type":1,"invocationId":"1","target":"subscribe","arguments":["room-1"]}""").ShouldBeOfType<InvocationMessage>();

        invocation.Arguments.ShouldBe(["room-1", null, null]);
    }

    [Fact]
    public void WithoutTheHubTypeArgumentsAreNumberedAndNoneIsOptional()
    {
        var message = Parse("""{"type":1,"invocationId":"1","target":"Subscribe","arguments":[1,2,"e"]}""", new AnonymousBinder());
        var tooFew = Parse("""{"type":1,"invocationId":"1","target":"Subscribe","arguments":["r"]}""", new AnonymousBinder());

        ReasonOf(message).ShouldBe("Subscribe: argument 1 must be a string");
        ReasonOf(tooFew).ShouldBe("Subscribe: expected 3 arguments, got 1");
    }

    [Fact]
    public void UnknownMethodIsABindingFailureWithSignalRsMessage()
    {
        ReasonOf(Parse("""{"type":1,"invocationId":"1","target":"Nope","arguments":[]}""")).ShouldBe("Nope: no such hub method");
    }

    [Theory]
    [InlineData("""{"type":1,"invocationId":"1","arguments":[]}""")]
    [InlineData("""{"type":1,"invocationId":"1","target":"Publish"}""")]
    [InlineData("""{"type":4,"target":"Publish","arguments":[]}""")]
    [InlineData("""{"type":1,"target":"Publish","arguments":[1,""")]
    public void BrokenEnvelopeIsAProtocolErrorAsInSignalR(string json)
    {
        Should.Throw<InvalidDataException>(() => Parse(json));
    }

    [Fact]
    public void OtherMessagesAreLeftToSignalRsJsonProtocol()
    {
        Parse("""{"type":6}""").ShouldBeSameAs(PingMessage.Instance);
        Parse("""{"type":5,"invocationId":"3"}""").ShouldBeOfType<CancelInvocationMessage>().InvocationId.ShouldBe("3");
    }

    [Fact]
    public void SeveralMessagesInOneBufferAreReadInTurnAndAPartialOneWaits()
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(
            "{\"type\":6}\u001e{\"type\":1,\"target\":\"Wait\",\"arguments\":[5]}\u001e{\"type\":1,\"target\":\"Wa"));

        Protocol.TryParseMessage(ref input, Binder, out var first).ShouldBeTrue();
        Protocol.TryParseMessage(ref input, Binder, out var second).ShouldBeTrue();
        Protocol.TryParseMessage(ref input, Binder, out var third).ShouldBeFalse();

        first.ShouldBeSameAs(PingMessage.Instance);
        second.ShouldBeOfType<InvocationMessage>().Arguments.ShouldBe([5]);
        third.ShouldBeNull();
        Encoding.UTF8.GetString(input.ToArray()).ShouldBe("{\"type\":1,\"target\":\"Wa");
    }

    [Fact]
    public void WritesExactlyWhatSignalRsJsonProtocolWrites()
    {
        var completion = CompletionMessage.WithResult("1", new { room = "r", seq = 5L });
        var json = new JsonHubProtocol();

        Protocol.GetMessageBytes(completion).ToArray().ShouldBe(json.GetMessageBytes(completion).ToArray());
        Protocol.Name.ShouldBe("json");
        Protocol.Version.ShouldBe(json.Version);
        Protocol.TransferFormat.ShouldBe(json.TransferFormat);
    }

    private static HubMessage Parse(string json, IInvocationBinder? binder = null)
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json + "\u001e"));
        Protocol.TryParseMessage(ref input, binder ?? Binder, out var message).ShouldBeTrue();
        input.IsEmpty.ShouldBeTrue();
        return message!;
    }

    /// <summary>The refusal's reason, after its code: every binding failure is a bad request (107).</summary>
    private static string ReasonOf(HubMessage message)
    {
        var text = message.ShouldBeOfType<InvocationBindingFailureMessage>().BindingFailure.SourceException.ShouldBeOfType<HubException>().Message;
        text.ShouldStartWith("107: ");
        return text["107: ".Length..];
    }

    private static string PublishWithDepth(int depth) =>
        $$"""{"type":1,"invocationId":"1","target":"Publish","arguments":["room-1","chat",{{new string('[', depth)}}{{new string(']', depth)}}]}""";
}
