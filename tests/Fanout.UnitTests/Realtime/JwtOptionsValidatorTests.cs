using Fanout.Realtime.Auth;

namespace Fanout.UnitTests.Realtime;

public sealed class JwtOptionsValidatorTests
{
    [Fact]
    public void MissingSigningKeyFailsNamingTheKey()
    {
        var result = new JwtOptionsValidator().Validate(null, new JwtOptions());

        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain("Auth:Jwt:SigningKey is required");
    }

    [Fact]
    public void SigningKeyShorterThan32BytesFailsNamingTheKey()
    {
        var result = new JwtOptionsValidator().Validate(null, new JwtOptions { SigningKey = "too-short" });

        result.FailureMessage!.ShouldContain("Auth:Jwt:SigningKey is 9 bytes of UTF-8; HS256 needs at least 32.");
    }

    [Fact]
    public void SigningKeyLengthCountsUtf8Bytes()
    {
        var sixteenCharsThirtyTwoBytes = new string('é', 16);

        new JwtOptionsValidator().Validate(null, new JwtOptions { SigningKey = sixteenCharsThirtyTwoBytes }).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(301)]
    public void ClockSkewOutsideZeroToThreeHundredSecondsFails(int seconds)
    {
        var options = new JwtOptions { SigningKey = new string('k', 32), ClockSkewSeconds = seconds };

        new JwtOptionsValidator().Validate(null, options).FailureMessage!.ShouldContain("Auth:Jwt:ClockSkewSeconds must be 0-300");
    }

    [Fact]
    public void DefaultsWithAKeyAreValid()
    {
        var options = new JwtOptions { SigningKey = new string('k', 32) };

        new JwtOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
        options.ClockSkewSeconds.ShouldBe(30);
    }
}
