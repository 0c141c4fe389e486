using System.Text;
using Fanout.Ingest.Requests;

namespace Fanout.UnitTests.Ingest;

public sealed class JsonSyntaxDiagnosisTests
{
    private static RequestError Describe(string json, int maxDepth, int wrapperDepth, int dataDepth) =>
        JsonSyntaxDiagnosis.Describe(Encoding.UTF8.GetBytes(json), maxDepth, wrapperDepth, dataDepth);

    [Fact]
    public void TooDeepDataInABatchIsNamedByItsPathAndIndex()
    {
        var json = """{"events":[{"data":1},{"room":"a","data":[[[[1]]]]}]}""";

        var error = Describe(json, maxDepth: 5, wrapperDepth: 3, dataDepth: 2);

        (error.Status, error.Detail, error.Index).ShouldBe((400, "events[1].data: data nests deeper than 2 levels", 1));
    }

    [Fact]
    public void TooDeepDataOfASingleEventIsNamedData()
    {
        var error = Describe("""{"type":"t","data":{"a":{"b":{"c":1}}}}""", maxDepth: 3, wrapperDepth: 1, dataDepth: 2);

        (error.Detail, error.Index).ShouldBe(("data nests deeper than 2 levels", null));
    }

    [Fact]
    public void ASyntaxErrorNamesItsPosition()
    {
        var error = Describe("{\n  \"type\": tru\n}", maxDepth: 10, wrapperDepth: 1, dataDepth: 8);

        error.Detail.ShouldStartWith("The request body is not valid JSON (line 2, byte");
        error.Detail.ShouldNotContain("LineNumber");
    }

    [Fact]
    public void ASyntaxErrorBeforeTheDepthLimitIsReportedAsSyntax()
    {
        var error = Describe("""{"data":[1,,[[[[[[1]]]]]]]}""", maxDepth: 3, wrapperDepth: 1, dataDepth: 2);

        error.Detail.ShouldStartWith("The request body is not valid JSON");
    }
}
