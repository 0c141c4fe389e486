namespace Fanout.IntegrationTests.Ingest;

/// <summary>Ingest with <c>Ingest:MaxRequestBytes</c> of 256 KiB, so over-size bodies stay cheap to send.</summary>
public sealed class SmallBodyLimitFixture : IngestAppFixture
{
    public const int MaxRequestBytes = 256 * 1024;

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Ingest:MaxRequestBytes"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
