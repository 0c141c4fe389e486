using System.ComponentModel.DataAnnotations;
using Fanout.Ingest.Auth;
using Fanout.Ingest.Options;

namespace Fanout.UnitTests.Ingest;

public sealed class IngestOptionsTests
{
    private static List<string> Validate(IngestOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }

    private static IngestOptions WithKeys(params (string Name, string Key)[] keys) =>
        new() { ApiKeys = keys.Select(k => new ApiKeyOptions { Name = k.Name, Key = k.Key }).ToList() };

    [Fact]
    public void OneKeyOfSixteenCharactersIsEnough() => Validate(WithKeys(("dev", "0123456789abcdef"))).ShouldBeEmpty();

    [Fact]
    public void NoKeyFailsNamingTheSetting() =>
        Validate(new IngestOptions()).ShouldHaveSingleItem().ShouldContain("Ingest:ApiKeys must list at least one key");

    [Fact]
    public void AShortKeyFailsNamingItsIndex() =>
        Validate(WithKeys(("a", "0123456789abcdef"), ("b", "short"))).ShouldHaveSingleItem().ShouldBe("Ingest:ApiKeys:1:Key must be at least 16 characters.");

    [Fact]
    public void AKeyWithoutANameFails() =>
        Validate(WithKeys(("", "0123456789abcdef"))).ShouldHaveSingleItem().ShouldContain("Ingest:ApiKeys:0:Name is required");

    [Fact]
    public void RepeatedNamesAndKeysFail()
    {
        Validate(WithKeys(("a", "0123456789abcdef"), ("a", "fedcba9876543210"))).ShouldHaveSingleItem().ShouldContain("is used by another key");
        Validate(WithKeys(("a", "0123456789abcdef"), ("b", "0123456789abcdef"))).ShouldHaveSingleItem().ShouldContain("same as another key");
    }

    [Fact]
    public void AKeyWithSpacesFails() =>
        Validate(WithKeys(("a", "0123456789 abcdef"))).ShouldHaveSingleItem().ShouldContain("printable ASCII without spaces");

    [Fact]
    public void LimitsOutOfRangeFail()
    {
        var options = WithKeys(("dev", "0123456789abcdef"));
        options.RetryAfterSeconds = 0;
        options.MaxRequestBytes = 10;
        Validate(options).Count.ShouldBe(2);
    }

    [Fact]
    public void TheStoreFindsTheNameOfAMatchingKeyOnly()
    {
        var store = new ApiKeyStore(Microsoft.Extensions.Options.Options.Create(WithKeys(("a", "0123456789abcdef"), ("b", "fedcba9876543210"))));

        store.FindName("fedcba9876543210").ShouldBe("b");
        store.FindName("0123456789abcdef").ShouldBe("a");
        store.FindName("0123456789abcde").ShouldBeNull();
        store.FindName("0123456789abcdefX").ShouldBeNull();
        store.FindName(string.Empty).ShouldBeNull();
    }
}
