using System.Text.Json;
using Fanout.Ingest.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fanout.UnitTests.Ingest;

public sealed class UnhandledExceptionHandlerTests
{
    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        };
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<JsonElement> BodyAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task AnUnexpectedExceptionIsAGeneric500WithoutItsDetails()
    {
        var context = Context();
        var handler = new UnhandledExceptionHandler(NullLogger<UnhandledExceptionHandler>.Instance);

        (await handler.TryHandleAsync(context, new InvalidOperationException("secret connection string"), CancellationToken.None)).ShouldBeTrue();

        context.Response.StatusCode.ShouldBe(500);
        context.Response.ContentType.ShouldBe("application/problem+json");
        var body = await BodyAsync(context);
        body.GetRawText().ShouldNotContain("secret");
        body.GetRawText().ShouldNotContain("InvalidOperationException");
        body.GetProperty("detail").GetString().ShouldBe("An unexpected error occurred; it has been logged.");
    }

    [Fact]
    public async Task ARequestTheServerCouldNotReadKeepsItsStatus()
    {
        var context = Context();
        var handler = new UnhandledExceptionHandler(NullLogger<UnhandledExceptionHandler>.Instance);

        await handler.TryHandleAsync(context, new BadHttpRequestException("Request body too large.", 413), CancellationToken.None);

        context.Response.StatusCode.ShouldBe(413);
        (await BodyAsync(context)).GetProperty("status").GetInt32().ShouldBe(413);
    }
}
