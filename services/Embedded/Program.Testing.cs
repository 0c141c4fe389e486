namespace Fanout.Embedded;

/// <summary>Visible to tests that host the real app.</summary>
public partial class Program;
