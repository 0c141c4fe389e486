// The wire shapes of the Fanout hub (docs/protocol.md, "SignalR hub") and the public types of the client.

/** One event of a room, as the hub sends it in an `event` message. */
export interface FanoutEvent<TData = unknown> {
  room: string;
  /** Position in the room: 1, 2, 3 … with no gap within an epoch. */
  seq: number;
  /** One lifetime of the room's history; seqs of different epochs are unrelated. */
  epoch: string;
  id: string;
  type: string;
  data: TData;
  /** ISO 8601, UTC. */
  publishedAt: string;
}

/**
 * Why a resubscribe could not recover the missed events: the server's `reason` ("epochChanged": the room's history
 * was reset; "trimmed": the events after the position are no longer kept; "tooMany": more were missed than the
 * server replays), "beyondLastSeq" (the position is ahead of the room, which the server refuses), "gap" (the
 * server kept leaving a gap the client could not fill) or "unknown" (the server gave no reason).
 */
export type ResetReason = 'epochChanged' | 'trimmed' | 'tooMany' | 'beyondLastSeq' | 'gap' | 'unknown' | (string & {});

/** The result of the hub method `Subscribe(room, afterSeq, epoch)`. */
export interface SubscribeResult {
  room: string;
  epoch: string;
  /** The seq the connection is at once the result arrives. */
  lastSeq: number;
  recovered: boolean;
  replayed: number;
  /** Null when recovered or when no position was given; otherwise why not (older servers leave it out). */
  reason?: ResetReason | null;
}

/** Server → client `presence` message. */
export interface PresenceChange {
  room: string;
  userId: string;
  action: 'join' | 'leave';
  at: string;
}

export interface PresenceMember {
  userId: string;
  connections: number;
  joinedAt: string;
  name?: string;
}

/** The result of the hub method `Presence(room)`. */
export interface PresenceResult {
  room: string;
  count: number;
  members: PresenceMember[];
}

/** The result of the hub method `PresenceStats(room)`. */
export interface PresenceStatsResult {
  room: string;
  users: number;
  connections: number;
}

/** What `history(room, options)` reads: events with `seq > after` (default 0), at most `limit` (1–1000, default 100). */
export interface HistoryOptions {
  after?: number;
  limit?: number;
}

/** The result of the hub method `History(room, after, limit)`: stored events oldest first, and the room's position. */
export interface HistoryResult<TData = unknown> {
  room: string;
  epoch: string;
  lastSeq: number;
  events: FanoutEvent<TData>[];
}

/** The result of the hub method `Publish(room, type, data)`. */
export interface PublishResult {
  id: string;
}

/** Where a subscription is in its room: the last seq delivered and its epoch (null before the first position). */
export interface Position {
  epoch: string | null;
  lastSeq: number | null;
}

/**
 * A starting position for `subscribe`: deliver the events after `afterSeq` (of `epoch`, when given). A saved
 * `Position` works as it is (`lastSeq` is read when `afterSeq` is absent).
 */
export interface SubscribeOptions {
  afterSeq?: number | null;
  lastSeq?: number | null;
  epoch?: string | null;
}

export interface RecoveredInfo {
  room: string;
  /** How many events the server replayed from history. */
  replayed: number;
  epoch: string;
  lastSeq: number;
}

export interface ResetInfo {
  room: string;
  reason: ResetReason;
  /** The position the subscription continues live from. */
  epoch: string;
  lastSeq: number;
  /** The position the client asked to resume from. */
  previous: Position;
}

export type EventHandler<TData = unknown> = (event: FanoutEvent<TData>) => void | Promise<void>;

export interface SubscriptionHandlers<TData = unknown> {
  onEvent?: EventHandler<TData>;
  onPresence?: (change: PresenceChange) => void | Promise<void>;
  /** This room's `recovered` (also raised on the client). */
  onRecovered?: (info: RecoveredInfo) => void | Promise<void>;
  /** This room's `reset` (also raised on the client): reload the room's state, delivery goes on live. */
  onReset?: (info: ResetInfo) => void | Promise<void>;
}

export type ClientState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Where a room's subscription is: `unsubscribed → subscribing → subscribed`, back to `subscribing` while it recovers. */
export type SubscriptionState = 'unsubscribed' | 'subscribing' | 'subscribed';

/**
 * A room's subscription changed state. `reason`: to `subscribing` — `subscribe` (the first), `connectionLost` (it is
 * subscribed again on the next connection), `resubscribe` (a gap or another epoch while live); to `subscribed` —
 * `live` (from now), `recovered`, or the reason of the `reset` raised with it (e.g. `trimmed`); to `unsubscribed` —
 * `unsubscribe`, `refused` (the hub refused it; see `error`) or `clientClosed`.
 */
export interface SubscriptionStateChange {
  room: string;
  state: SubscriptionState;
  previous: SubscriptionState;
  reason: string;
}

/** What was going on when an `error` was raised. */
export type ErrorContext = 'connect' | 'subscribe' | 'handler' | 'listener' | 'url';

export interface ClientErrorInfo {
  error: Error;
  context: ErrorContext;
  room?: string;
  url?: string;
}

/** The client's events and their payloads. */
export interface ClientEvents {
  /** A connection is up (`reconnected`: not the first one); every room is being resubscribed. */
  connected: { url: string; reconnected: boolean };
  /** The connection was lost (or closed by `close()`); nothing is delivered until `connected`. */
  disconnected: { url: string; error?: Error };
  /** The next connection attempt starts after `delayMs` (`attempt` counts from 1 since the last connection). */
  reconnecting: { attempt: number; delayMs: number; error?: Error };
  /** A room was resubscribed from its position and every missed event was delivered (before this event). */
  recovered: RecoveredInfo;
  /** A room could not be recovered; it continues live from the new position. The app should reload the room. */
  reset: ResetInfo;
  /** Something went wrong that the client handles itself (a failed attempt, a refused subscribe, a handler that threw). */
  error: ClientErrorInfo;
  /** A room's subscription changed state (also `subscription.state`). */
  subscriptionState: SubscriptionStateChange;
  /** `close()` finished, or reconnecting gave up (`error`). */
  closed: { error?: Error };
}
