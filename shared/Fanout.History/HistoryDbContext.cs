using Microsoft.EntityFrameworkCore;

namespace Fanout.History;

public sealed class HistoryDbContext(DbContextOptions<HistoryDbContext> options) : DbContext(options)
{
    public DbSet<RoomRecord> Rooms => Set<RoomRecord>();

    public DbSet<EventRecord> Events => Set<EventRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RoomRecord>(room =>
        {
            room.ToTable("rooms");
            room.HasKey(r => r.RoomId);
            room.Property(r => r.RoomId).HasColumnName("room_id");
            room.Property(r => r.Epoch).HasColumnName("epoch");
            room.Property(r => r.LastSeq).HasColumnName("last_seq");
            room.Property(r => r.FirstSeq).HasColumnName("first_seq");
            room.Property(r => r.CreatedAt).HasColumnName("created_at");
        });

        modelBuilder.Entity<EventRecord>(evt =>
        {
            evt.ToTable("room_events");
            evt.HasKey(e => new { e.RoomId, e.Seq });
            evt.HasIndex(e => e.EventId).IsUnique();
            evt.Property(e => e.RoomId).HasColumnName("room_id");
            evt.Property(e => e.Seq).HasColumnName("seq");
            evt.Property(e => e.EventId).HasColumnName("event_id");
            evt.Property(e => e.Type).HasColumnName("type");
            evt.Property(e => e.Data).HasColumnName("data").HasColumnType("json");
            evt.Property(e => e.PublishedAt).HasColumnName("published_at");
            evt.Property(e => e.StoredAt).HasColumnName("stored_at");
        });
    }
}
