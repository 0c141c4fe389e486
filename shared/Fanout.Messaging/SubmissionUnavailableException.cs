namespace Fanout.Messaging;

/// <summary>The events could not be durably accepted right now (broker down, unroutable, or too slow).</summary>
public sealed class SubmissionUnavailableException : Exception
{
    public SubmissionUnavailableException()
    {
    }

    public SubmissionUnavailableException(string message)
        : base(message)
    {
    }

    public SubmissionUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
