using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Ingest.Requests;

namespace Fanout.UnitTests.Ingest;

public sealed class RequestParserTests
{
    private static readonly EventDataRules Rules = EventDataRules.Default;

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 200 });
        return document.RootElement.Clone();
    }

    [Fact]
    public void ASingleEventKeepsItsRoomKeyTypeAndCompactData()
    {
        PublishEventParser.Parse(Parse("""{ "data" : { "a" : 1 }, "type" : "chat" }"""), "lobby", "k", Rules, out var draft).ShouldBeNull();

        draft.ShouldNotBeNull();
        (draft.Room, draft.Type, draft.IdempotencyKey, draft.Data.GetRawText()).ShouldBe(("lobby", "chat", "k", """{"a":1}"""));
    }

    [Fact]
    public void NullDataIsData()
    {
        PublishEventParser.Parse(Parse("""{"type":"t","data":null}"""), "r", null, Rules, out var draft).ShouldBeNull();
        draft!.Data.ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void DataOverTheSizeLimitIs413AndOtherDataErrorsAre400()
    {
        var small = new EventDataRules(MaxBytes: 10, MaxDepth: 2);

        PublishEventParser.Parse(Parse("""{"type":"t","data":"0123456789"}"""), "r", null, small, out _)!.Status.ShouldBe(413);
        PublishEventParser.Parse(Parse("""{"type":"t","data":[[[1]]]}"""), "r", null, small, out _)!.Status.ShouldBe(400);
        PublishEventParser.Parse(Parse("""{"type":"t","data":"\udc00"}"""), "r", null, small, out _)!.Status.ShouldBe(400);
    }

    [Fact]
    public void BatchItemsKeepRequestOrderAndTheirKeys()
    {
        var json = """{"events":[{"room":"b","type":"t","data":2},{"room":"a","type":"u","data":1,"idempotencyKey":"k"},{"room":"b","type":"t","data":3,"idempotencyKey":null}]}""";

        BatchPublishParser.Parse(Parse(json), Rules, out var drafts).ShouldBeNull();

        drafts.Select(d => (d.Room, d.Type, d.Data.GetInt32(), d.IdempotencyKey)).ShouldBe([("b", "t", 2, null), ("a", "u", 1, "k"), ("b", "t", 3, null)]);
    }

    [Fact]
    public void TheFirstInvalidBatchItemIsReportedWithItsIndex()
    {
        var json = """{"events":[{"room":"a","type":"t","data":1},{"room":"a","type":"","data":1},{"room":"","type":"t","data":1}]}""";

        var error = BatchPublishParser.Parse(Parse(json), Rules, out var drafts);

        error.ShouldNotBeNull();
        (error.Status, error.Index).ShouldBe((400, 1));
        error.Detail.ShouldStartWith("events[1].type: type is required");
        drafts.ShouldBeEmpty();
    }

    [Fact]
    public void ABroadcastIsOneEventPerRoomWithSharedData()
    {
        BroadcastParser.Parse(Parse("""{"rooms":["a","b","c"],"type":"t","data":{"x":1}}"""), Rules, out var drafts).ShouldBeNull();

        drafts.Select(d => d.Room).ShouldBe(["a", "b", "c"]);
        drafts.ShouldAllBe(d => d.Type == "t" && d.IdempotencyKey == null && d.Data.GetRawText() == """{"x":1}""");
    }

    [Fact]
    public void ABroadcastRoomIsComparedExactly()
    {
        BroadcastParser.Parse(Parse("""{"rooms":["a","A"],"type":"t","data":1}"""), Rules, out var drafts).ShouldBeNull();
        drafts.Count.ShouldBe(2);
        BroadcastParser.Parse(Parse("""{"rooms":["A","b","A"],"type":"t","data":1}"""), Rules, out _)!.Index.ShouldBe(2);
    }
}
