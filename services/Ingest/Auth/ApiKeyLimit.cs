namespace Fanout.Ingest.Auth;

/// <summary>
/// A key's rate limit, also the partition of its token bucket: equal values share one bucket, so a reload that leaves
/// a key's limit as it was keeps its bucket, and a changed limit starts a fresh one.
/// </summary>
/// <param name="RequestsPerSecond">Average requests per second; 0 is unlimited.</param>
/// <param name="Burst">Requests that may come at once (the bucket's size).</param>
public sealed record ApiKeyLimit(string KeyName, int RequestsPerSecond, int Burst)
{
    public bool IsUnlimited => RequestsPerSecond == 0;
}
