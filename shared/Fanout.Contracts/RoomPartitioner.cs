using System.Text;

namespace Fanout.Contracts;

/// <summary>
/// Maps a room to one of the sequencer's partitions. Every event of a room goes through the same partition
/// queue, which has a single active consumer: that is what keeps a room's events in broker order.
/// The function must never change for a running cluster (it is FNV-1a over the UTF-8 room id).
/// </summary>
public static class RoomPartitioner
{
    public static int PartitionOf(string room, int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(room.Length)];
        var length = Encoding.UTF8.GetBytes(room, buffer);
        foreach (var b in buffer[..length])
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitionCount);
    }
}
