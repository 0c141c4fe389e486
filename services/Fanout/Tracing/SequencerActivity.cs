using System.Diagnostics;

namespace Fanout.Sequencer.Tracing;

/// <summary>The sequencer's spans: <c>process fanout.submit</c> per message taken (<see cref="BatchTrace"/>) and <c>publish fanout.rooms</c> per room message routed.</summary>
public static class SequencerActivity
{
    public static readonly ActivitySource Source = new("Fanout.Sequencer");
}
