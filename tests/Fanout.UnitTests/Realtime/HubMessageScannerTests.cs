using System.Buffers;
using System.Text;
using System.Text.Json;
using Fanout.Realtime.Protocol;

namespace Fanout.UnitTests.Realtime;

public sealed class HubMessageScannerTests
{
    [Fact]
    public void EachArgumentIsMeasuredAndLocated()
    {
        const string json = """{"type":1,"invocationId":"7","target":"T","arguments":[1, "s", [], {}, [[1]], {"a":{"b":[1]}}, null]}""";

        var scanned = HubMessageScanner.Scan(Payload(json));

        scanned.IsInvocation.ShouldBeTrue();
        scanned.InvocationId.ShouldBe("7");
        scanned.Target.ShouldBe("T");
        scanned.Arguments.Select(a => a.Depth).ShouldBe([0, 0, 1, 1, 2, 3, 0]);
        scanned.Arguments.Select(a => a.FirstToken).ShouldBe([
            JsonTokenType.Number, JsonTokenType.String, JsonTokenType.StartArray, JsonTokenType.StartObject,
            JsonTokenType.StartArray, JsonTokenType.StartObject, JsonTokenType.Null]);
        scanned.Arguments.Select(a => Text(json, a)).ShouldBe(["1", "\"s\"", "[]", "{}", "[[1]]", """{"a":{"b":[1]}}""", "null"]);
    }

    [Fact]
    public void NestingFarBeyondAnyReaderDefaultIsMeasuredWithoutThrowing()
    {
        const int depth = 200_000;
        var json = $$"""{"arguments":[{{new string('[', depth)}}{{new string(']', depth)}}],"target":"T","type":1}""";

        var scanned = HubMessageScanner.Scan(Payload(json));

        scanned.Arguments.Single().Depth.ShouldBe(depth);
        scanned.Target.ShouldBe("T");
    }

    [Fact]
    public void UnknownPropertiesAreSkippedAtAnyDepth()
    {
        var json = $$"""{"type":1,"junk":{{new string('[', 5_000)}}{{new string(']', 5_000)}},"target":"T","arguments":[]}""";

        var scanned = HubMessageScanner.Scan(Payload(json));

        scanned.Target.ShouldBe("T");
        scanned.Arguments.ShouldBeEmpty();
    }

    [Fact]
    public void ArgumentsThatAreNotAnArrayAreFlagged()
    {
        var scanned = HubMessageScanner.Scan(Payload("""{"type":1,"target":"T","arguments":{"a":[1]}}"""));

        scanned.HasArguments.ShouldBeTrue();
        scanned.ArgumentsNotAnArray.ShouldBeTrue();
    }

    [Fact]
    public void HeadersAndStreamIdsAreRead()
    {
        var scanned = HubMessageScanner.Scan(Payload("""{"type":4,"invocationId":"1","target":"T","arguments":[],"streamIds":["s1"],"headers":{"h":"v"}}"""));

        scanned.StreamIds.ShouldBe(["s1"]);
        scanned.Headers!["h"].ShouldBe("v");
    }

    [Theory]
    [InlineData("""{"type":6}""", 6)]
    [InlineData("""{"invocationId":"1","result":[[[1]]],"type":3}""", 3)]
    public void OtherMessagesAreNotInvocations(string json, int type)
    {
        var scanned = HubMessageScanner.Scan(Payload(json));

        scanned.Type.ShouldBe(type);
        scanned.IsInvocation.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"type":1,"target":"T","arguments":[1,}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"type":"1"}""")]
    [InlineData("""{"type":1,"target":5}""")]
    [InlineData("""{"type":1,"headers":{"h":1}}""")]
    [InlineData("""{"type":1,"target":"T","arguments":[[1]""")]
    public void MalformedEnvelopeThrowsInvalidDataException(string json)
    {
        Should.Throw<InvalidDataException>(() => HubMessageScanner.Scan(Payload(json)));
    }

    [Fact]
    public void MessageSplitAcrossSegmentsIsScannedTheSame()
    {
        const string json = """{"type":1,"target":"Target","arguments":["room-1",{"deep":[[1,2]]}]}""";
        var bytes = Encoding.UTF8.GetBytes(json);
        var first = new Segment(bytes.AsMemory(0, 20));
        var last = first.Append(bytes.AsMemory(20));

        var scanned = HubMessageScanner.Scan(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        scanned.Target.ShouldBe("Target");
        scanned.Arguments.Select(a => Text(json, a)).ShouldBe(["\"room-1\"", """{"deep":[[1,2]]}"""]);
        scanned.Arguments[1].Depth.ShouldBe(3);
    }

    private static ReadOnlySequence<byte> Payload(string json) => new(Encoding.UTF8.GetBytes(json));

    private static string Text(string json, ScannedArgument argument) =>
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(json), (int)argument.Start, (int)argument.Length);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
