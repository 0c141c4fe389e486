using System.Text;
using System.Text.Json;
using Fanout.Contracts.Validation;

namespace Fanout.UnitTests.Contracts;

public sealed class EventDataValidatorTests
{
    private static JsonElement Parse(string json, int maxDepth = 1000)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = maxDepth });
        return document.RootElement.Clone();
    }

    private static string Nested(int levels) => new string('[', levels) + new string(']', levels);

    [Theory]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":[1,2,{\"b\":true}]}")]
    public void AnyJsonValueIsAccepted(string json) => EventDataValidator.Validate(Parse(json), EventDataRules.Default, out _).ShouldBeNull();

    [Fact]
    public void DataIsStoredInCompactForm()
    {
        EventDataValidator.Validate(Parse("{ \"a\" : [ 1 , 2 ] }"), EventDataRules.Default, out var compact).ShouldBeNull();
        compact.GetRawText().ShouldBe("{\"a\":[1,2]}");
    }

    [Fact]
    public void SixtyFourLevelsPassAndSixtyFiveAreRejected()
    {
        EventDataValidator.Validate(Parse(Nested(64)), EventDataRules.Default, out _).ShouldBeNull();
        EventDataValidator.Validate(Parse(Nested(65)), EventDataRules.Default, out _)!.ShouldContain("deeper than 64 levels");
    }

    [Fact]
    public void SizeIsMeasuredOnTheCompactForm()
    {
        var rules = new EventDataRules(MaxBytes: 10);
        EventDataValidator.Validate(Parse("[ 1 , 2 , 3 , 4 ]"), rules, out _).ShouldBeNull(); // [1,2,3,4] = 9 bytes
        EventDataValidator.Validate(Parse("\"0123456789\""), rules, out _)!.ShouldContain("12 bytes");
    }

    [Fact]
    public void ALoneSurrogateIsRejected() =>
        EventDataValidator.Validate(Parse("{\"a\":\"\\ud800\"}"), EventDataRules.Default, out _)!.ShouldContain("lone surrogate");

    [Fact]
    public void ALoneSurrogateInAPropertyNameIsRejected() =>
        EventDataValidator.Validate(Parse("{\"\\udc00\":1}"), EventDataRules.Default, out _)!.ShouldContain("property name");

    [Fact]
    public void InvalidUtf8InAStringIsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":\"xx\"}");
        bytes[6] = 0xFF;
        bytes[7] = 0xFE;
        JsonElement element;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            element = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return; // The parser refused it already: just as good.
        }

        EventDataValidator.Validate(element, EventDataRules.Default, out _).ShouldNotBeNull();
    }

    [Fact]
    public void MissingDataIsRejected() =>
        EventDataValidator.Validate(default, EventDataRules.Default, out _)!.ShouldContain("required");
}
