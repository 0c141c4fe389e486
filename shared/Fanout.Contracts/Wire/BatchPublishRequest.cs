namespace Fanout.Contracts.Wire;

/// <summary>Body of <c>POST /v1/events</c>: 1–500 items, all or nothing.</summary>
public sealed record BatchPublishRequest(IReadOnlyList<BatchPublishItem>? Events)
{
    public const int MaxItems = 500;
}
