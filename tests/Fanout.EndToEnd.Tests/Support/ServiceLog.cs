using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>Reads a service's log file while the service still writes it.</summary>
public static class ServiceLog
{
    public static string[] Lines(ServiceProcess service)
    {
        using var stream = new FileStream(service.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }
}
