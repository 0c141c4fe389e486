namespace Fanout.Contracts;

/// <summary>
/// The <c>publishedAt</c> of an accepted event: UTC, in whole microseconds — the precision PostgreSQL stores — so a
/// live event and the same event read from history carry exactly the same value.
/// </summary>
public static class AcceptTime
{
    public static DateTimeOffset Now(TimeProvider clock) => Truncate(clock.GetUtcNow());

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }
}
