namespace Fanout.IntegrationTests.Ingest;

/// <summary>The rejection tests share one Ingest with small body limits.</summary>
[CollectionDefinition(Name)]
public sealed class RejectionCollection : ICollectionFixture<SmallBodyLimitFixture>
{
    public const string Name = "Ingest rejections";
}
