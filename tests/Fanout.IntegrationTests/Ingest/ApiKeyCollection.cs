namespace Fanout.IntegrationTests.Ingest;

/// <summary>The API key tests share one Ingest with several keys.</summary>
[CollectionDefinition(Name)]
public sealed class ApiKeyCollection : ICollectionFixture<ApiKeyAppFixture>
{
    public const string Name = "Ingest API keys";
}
