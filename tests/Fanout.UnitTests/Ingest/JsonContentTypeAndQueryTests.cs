using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Fanout.UnitTests.Ingest;

public sealed class JsonContentTypeAndQueryTests
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON; CHARSET=\"UTF-8\"")]
    [InlineData("application/problem+json")]
    [InlineData("application/vnd.acme.event+json; charset=utf-8")]
    public void JsonWithUtf8OrNoCharsetIsAccepted(string contentType) => JsonContentType.Check(contentType).ShouldBeNull();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("text/json")]
    [InlineData("application/jsonx")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json+xml")]
    [InlineData("json")]
    public void AnythingElseIs415(string? contentType) => JsonContentType.Check(contentType)!.Status.ShouldBe(415);

    [Theory]
    [InlineData("", 0, 100)]
    [InlineData("?after=0", 0, 100)]
    [InlineData("?after=42&limit=7", 42, 7)]
    [InlineData("?limit=1000", 0, 1000)]
    [InlineData("?after=9223372036854775807", long.MaxValue, 100)]
    [InlineData("?other=x&after=5", 5, 100)]
    public void AValidQueryIsRead(string query, long after, int limit)
    {
        HistoryQuery.Parse(Query(query), out var readAfter, out var readLimit).ShouldBeNull();
        readAfter.ShouldBe(after);
        readLimit.ShouldBe(limit);
    }

    [Theory]
    [InlineData("?after=-1")]
    [InlineData("?after=+1")]
    [InlineData("?after= 1")]
    [InlineData("?after=1e3")]
    [InlineData("?after=")]
    [InlineData("?after=1&after=1")]
    [InlineData("?limit=0")]
    [InlineData("?limit=1001")]
    [InlineData("?limit=1&limit=2")]
    [InlineData("?limit=")]
    public void AnInvalidQueryIs400(string query) => HistoryQuery.Parse(Query(query), out _, out _)!.Status.ShouldBe(400);

    private static QueryCollection Query(string query) => new(QueryHelpers.ParseQuery(query));
}
