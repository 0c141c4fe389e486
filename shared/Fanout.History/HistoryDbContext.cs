using Microsoft.EntityFrameworkCore;

namespace Fanout.History;

/// <summary>
/// The history schema as EF Core sees it. The migrations in <c>Migrations/</c> are SQL written by hand; this model
/// describes what they create (names, types, defaults, keys, the unique index) and the model snapshot records it, so
/// a model change without a migration shows up as pending (a test checks it). <c>fanout_epoch(room, stored)</c> and
/// the trigger that recomputes <c>rooms.client_epoch</c> when the incarnation changes are what the model cannot describe.
/// </summary>
public sealed class HistoryDbContext(DbContextOptions<HistoryDbContext> options) : DbContext(options)
{
    public DbSet<RoomRecord> Rooms => Set<RoomRecord>();

    public DbSet<EventRecord> Events => Set<EventRecord>();

    public DbSet<IncarnationRecord> Incarnation => Set<IncarnationRecord>();

    public DbSet<IdempotencyKeyRecord> IdempotencyKeys => Set<IdempotencyKeyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RoomRecord>(room =>
        {
            room.ToTable("rooms");
            room.HasKey(r => r.RoomId).HasName("rooms_pkey");
            room.Property(r => r.RoomId).HasColumnName("room_id").HasColumnType("text");
            room.Property(r => r.Epoch).HasColumnName("epoch").HasColumnType("text");
            room.Property(r => r.ClientEpoch).HasColumnName("client_epoch").HasColumnType("text");
            room.Property(r => r.LastSeq).HasColumnName("last_seq");
            room.Property(r => r.FirstSeq).HasColumnName("first_seq").HasDefaultValue(1L);
            room.Property(r => r.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
            room.Property(r => r.TrimAt).HasColumnName("trim_at").HasDefaultValueSql("'-infinity'");
            room.HasIndex(r => new { r.TrimAt, r.RoomId }).HasDatabaseName("ix_rooms_trim_at").HasFilter("trim_at IS NOT NULL");
        });

        modelBuilder.Entity<EventRecord>(evt =>
        {
            evt.ToTable("room_events");
            evt.HasKey(e => new { e.RoomId, e.Seq }).HasName("room_events_pkey");
            evt.HasIndex(e => e.EventId).IsUnique().HasDatabaseName("ix_room_events_event_id");
            evt.Property(e => e.RoomId).HasColumnName("room_id").HasColumnType("text");
            evt.Property(e => e.Seq).HasColumnName("seq");
            evt.Property(e => e.EventId).HasColumnName("event_id");
            evt.Property(e => e.Type).HasColumnName("type").HasColumnType("text");
            evt.Property(e => e.Data).HasColumnName("data").HasColumnType("json");
            evt.Property(e => e.PublishedAt).HasColumnName("published_at");
            evt.Property(e => e.StoredAt).HasColumnName("stored_at").HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<IncarnationRecord>(incarnation =>
        {
            incarnation.ToTable("history_incarnation", table => table.HasCheckConstraint("history_incarnation_singleton_check", "singleton"));
            incarnation.HasKey(i => i.Singleton).HasName("history_incarnation_pkey");
            incarnation.Property(i => i.Singleton).HasColumnName("singleton").HasDefaultValue(true).ValueGeneratedNever();
            incarnation.Property(i => i.Id).HasColumnName("id").HasColumnType("text").IsRequired();
            incarnation.Property(i => i.Fingerprint).HasColumnName("fingerprint").HasColumnType("text");
            incarnation.Property(i => i.ChangedAt).HasColumnName("changed_at").HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<IdempotencyKeyRecord>(key =>
        {
            key.ToTable("idempotency_keys");
            key.HasKey(k => k.EventId).HasName("idempotency_keys_pkey");
            key.HasIndex(k => k.StoredAt).HasDatabaseName("ix_idempotency_keys_stored_at");
            key.Property(k => k.EventId).HasColumnName("event_id").ValueGeneratedNever();
            key.Property(k => k.RoomId).HasColumnName("room_id").HasColumnType("text");
            key.Property(k => k.Seq).HasColumnName("seq");
            key.Property(k => k.Epoch).HasColumnName("epoch").HasColumnType("text");
            key.Property(k => k.StoredAt).HasColumnName("stored_at").HasDefaultValueSql("now()");
        });
    }
}
