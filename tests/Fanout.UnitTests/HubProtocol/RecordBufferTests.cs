using System.Text;
using Fanout.HubProtocol;

namespace Fanout.UnitTests.HubProtocol;

public sealed class RecordBufferTests
{
    [Fact]
    public void SeveralRecordsInOneReceiveAreReadOneByOneWithoutTheirSeparators()
    {
        var buffer = new RecordBuffer(64);

        Receive(buffer, "{\"type\":6}\u001e{}\u001e{\"type\":1}\u001e");

        ReadAll(buffer).ShouldBe(["{\"type\":6}", "{}", "{\"type\":1}"]);
    }

    [Fact]
    public void ARecordSplitOverReceivesIsReadOnceItsSeparatorArrives()
    {
        var buffer = new RecordBuffer(64);

        Receive(buffer, "{\"type\":1,\"tar");
        buffer.TryRead(out _).ShouldBeFalse();
        buffer.HasPartialRecord.ShouldBeTrue();
        Receive(buffer, "get\":\"event\"}\u001e{\"ty");

        ReadAll(buffer).ShouldBe(["{\"type\":1,\"target\":\"event\"}"]);
        Receive(buffer, "pe\":6}\u001e");
        ReadAll(buffer).ShouldBe(["{\"type\":6}"]);
        buffer.HasPartialRecord.ShouldBeFalse();
    }

    [Fact]
    public void ARecordLargerThanTheBufferGrowsItAndKeepsTheUnreadStart()
    {
        var buffer = new RecordBuffer(16);
        var large = new string('x', 1_000);

        Receive(buffer, "{}\u001e" + large[..10]);
        ReadAll(buffer).ShouldBe(["{}"]);
        for (var i = 10; i < large.Length; i += 100)
        {
            Receive(buffer, large[i..Math.Min(large.Length, i + 100)]);
        }

        Receive(buffer, "\u001e");
        ReadAll(buffer).ShouldBe([large]);
    }

    [Fact]
    public void SpaceIsReusedOnceEveryRecordIsRead()
    {
        var buffer = new RecordBuffer(32);
        var first = buffer.GetMemory(16);

        for (var i = 0; i < 1_000; i++)
        {
            Receive(buffer, $"{{\"n\":{i}}}\u001e");
            ReadAll(buffer).ShouldBe([$"{{\"n\":{i}}}"]);
        }

        buffer.GetMemory(16).Length.ShouldBe(first.Length, "the buffer did not grow");
    }

    [Fact]
    public void FrameAppendsTheSeparatorToTheUtf8Bytes()
    {
        HubRecords.Frame("{\"é\":1}").ShouldBe([.. Encoding.UTF8.GetBytes("{\"é\":1}"), HubRecords.RecordSeparator]);
        HubRecords.Split("{}\u001e{\"type\":6}\u001e").ShouldBe(["{}", "{\"type\":6}"]);
    }

    private static void Receive(RecordBuffer buffer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes.CopyTo(buffer.GetMemory(bytes.Length));
        buffer.Advance(bytes.Length);
    }

    private static List<string> ReadAll(RecordBuffer buffer)
    {
        var records = new List<string>();
        while (buffer.TryRead(out var record))
        {
            records.Add(Encoding.UTF8.GetString(record));
        }

        return records;
    }
}
