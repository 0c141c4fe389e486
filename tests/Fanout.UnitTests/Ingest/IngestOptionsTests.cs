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
    public void TheStoreFindsAMatchingKeyOnly()
    {
        var options = WithKeys(("a", "0123456789abcdef"));
        options.ApiKeys.Add(new ApiKeyOptions { Name = "b", Hash = "sha256:" + Convert.ToHexString(ApiKeyHash.Of("fedcba9876543210")) });
        using var store = new ApiKeyStore(
            Microsoft.Extensions.Options.Options.Create(options),
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" },
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyStore>.Instance);

        store.Find("fedcba9876543210")?.Name.ShouldBe("b");
        store.Find("0123456789abcdef")?.Name.ShouldBe("a");
        store.Find("0123456789abcde").ShouldBeNull();
        store.Find("0123456789abcdefX").ShouldBeNull();
        store.Find(string.Empty).ShouldBeNull();
    }

    [Fact]
    public void AKeyNeedsExactlyOneOfHashAndKey()
    {
        var both = WithKeys(("a", "0123456789abcdef"));
        both.ApiKeys[0].Hash = Convert.ToHexString(ApiKeyHash.Of("0123456789abcdef"));
        var neither = new IngestOptions { ApiKeys = [new ApiKeyOptions { Name = "a" }] };

        Validate(both).ShouldHaveSingleItem().ShouldContain("Ingest:ApiKeys:0 has both Hash and Key");
        Validate(neither).ShouldHaveSingleItem().ShouldContain("Ingest:ApiKeys:0:Hash is required");
    }
}
