namespace Fanout.History.Sqlite;

/// <summary>The history database cannot be used: the message is the one line the process stops with, naming the file.</summary>
public sealed class SqliteHistoryUnavailableException : Exception
{
    public SqliteHistoryUnavailableException()
    {
    }

    public SqliteHistoryUnavailableException(string message)
        : base(message)
    {
    }

    public SqliteHistoryUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
