namespace Fanout.ServiceDefaults.Security;

/// <summary>A process was configured with settings it refuses outside Development (<see cref="InsecureSettings"/>).</summary>
public sealed class InsecureSettingsException(string message) : Exception(message);
